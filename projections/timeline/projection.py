"""Every event to a timeline row of the account it belongs to.

An event names its account directly (``account_id``, or ``parent_id`` for a subaccount), through
its room (``room_id``), or through the aggregate it belongs to, whose owner was recorded when it
was created (``timeline_owners``). Infrastructure events (idempotency records, the outbox)
belong to no account and are left out. What a row says, and who may see it: ``text``.
"""

from __future__ import annotations

from typing import Any

from projections.store import BatchMemo, Cursor
from projections.timeline.text import owner_only, summarize

# What happens inside a session (chat, answers, strokes, calls...) is the room's own record, in
# the room feed and the live read models, not the account's timeline: it would drown the
# organizer's actions and copy attendees' words into it. Sessions starting and ending stay.
SKIPPED_MODULES = ("domain.idempotency", "domain.mail", "domain.live.")
# Bookkeeping a person did not do: their owners are recorded, but they get no row.
QUIET = frozenset(
    {
        "Ledger.Opened",
        "RoomAddress.Claimed",
        "Seat.Taken",
        "Seat.Released",
        "Seat.Retaken",
        "LiveSlot.Opened",
        "RoomSessions.Opened",
        "RoomSessions.SessionStarted",
        "RoomSessions.SessionEnded",
    }
)


class TimelineProjection:
    """One row per event, keyed by its position in the log."""

    name: str = "timeline"
    topics: tuple[str, ...] = ()  # every event
    tables: tuple[str, ...] = ("timeline", "timeline_owners")

    def __init__(self) -> None:
        self._owners = BatchMemo()  # aggregate id -> account id, looked up or recorded

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if type(event).__module__.startswith(SKIPPED_MODULES):
            return
        subject = str(event.originator_id)
        owner = self._owner(cursor, event, subject)
        if owner is None or type(event).__qualname__ in QUIET:
            return
        cursor.execute(
            "INSERT INTO timeline "
            "(position, account_id, at, kind, subject_id, summary, owner_only) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                position,
                owner,
                (getattr(event, "at", None) or event.timestamp).isoformat(),
                type(event).__qualname__,
                subject,
                summarize(event),
                owner_only(event),
            ),
        )

    def _owner(self, cursor: Cursor, event: Any, subject: str) -> str | None:
        owners = self._owners.of(cursor)
        owner = owners.get(subject)
        # A stream's first event cannot have an owner recorded yet: no need to ask.
        if owner is None and event.originator_version > 1:
            owner = self._recorded_owner(cursor, subject)
        if owner is None:
            owner = self._new_owner(cursor, event, subject)
        if owner is not None:
            owners[subject] = owner
        return owner

    def _recorded_owner(self, cursor: Cursor, aggregate_id: str) -> str | None:
        if (known := self._owners.of(cursor).get(aggregate_id)) is not None:
            return known
        cursor.execute(
            "SELECT account_id FROM timeline_owners WHERE aggregate_id = %s", (aggregate_id,)
        )
        row = cursor.fetchone()
        return str(row["account_id"]) if row is not None else None

    def _new_owner(self, cursor: Cursor, event: Any, subject: str) -> str | None:
        """The owner of an aggregate seen for the first time, recorded for its later events."""
        if type(event).__qualname__ == "Account.Opened":
            owner: str | None = subject
        elif getattr(event, "parent_id", None) is not None:
            owner = str(event.parent_id)
        elif getattr(event, "account_id", None) is not None:
            owner = str(event.account_id)
        elif getattr(event, "room_id", None) is not None:
            owner = self._recorded_owner(cursor, str(event.room_id))
        else:
            return None
        if owner is not None:
            cursor.execute(
                "INSERT INTO timeline_owners (aggregate_id, account_id) VALUES (%s, %s)",
                (subject, owner),
            )
        return owner
