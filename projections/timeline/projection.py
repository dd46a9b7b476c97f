"""Every event to a timeline row of the account it belongs to.

An event names its account directly (``account_id``, or ``parent_id`` for a subaccount), through
its room (``room_id``), or through the aggregate it belongs to, whose owner was recorded when it
was created (``timeline_owners``). Infrastructure events (idempotency records, the outbox)
belong to no account and are left out.
"""

from __future__ import annotations

from typing import Any

from projections.store import Cursor

HIDDEN = frozenset(
    {"originator_id", "originator_version", "originator_topic", "timestamp", "at", "account_id",
     "password_hash", "digest",
     "secrets", "code", "settings", "changes", "hash", "previous_hash", "answers", "body"}
)  # fmt: skip
SKIPPED_MODULES = ("domain.idempotency", "domain.mail")
# Bookkeeping a person did not do: their owners are recorded, but they get no row.
QUIET = frozenset({"Ledger.Opened", "RoomAddress.Claimed", "Seat.Taken", "LiveSlot.Opened"})
SUMMARY_LIMIT = 300


def summarize(event: Any) -> str:
    """A line a person can read: what happened and its main facts."""
    kind = type(event).__qualname__
    facts = []
    for name, value in vars(event).items():
        if name in HIDDEN or value is None or isinstance(value, dict | list):
            continue
        facts.append(f"{name}={value}")
    if hasattr(event, "settings") and isinstance(event.settings, dict):
        facts.insert(0, f"name={event.settings.get('name')}")
    if hasattr(event, "changes") and isinstance(event.changes, dict):
        facts.append("changed " + ", ".join(sorted(event.changes)))
    return (kind + (": " + ", ".join(facts) if facts else ""))[:SUMMARY_LIMIT]


class TimelineProjection:
    """One row per event, keyed by its position in the log."""

    name: str = "timeline"
    topics: tuple[str, ...] = ()  # every event
    tables: tuple[str, ...] = ("timeline", "timeline_owners")

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if type(event).__module__.startswith(SKIPPED_MODULES):
            return
        subject = str(event.originator_id)
        owner = self._owner(cursor, event, subject)
        if owner is None or type(event).__qualname__ in QUIET:
            return
        cursor.execute(
            "INSERT INTO timeline (position, account_id, at, kind, subject_id, summary) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (
                position,
                owner,
                (getattr(event, "at", None) or event.timestamp).isoformat(),
                type(event).__qualname__,
                subject,
                summarize(event),
            ),
        )

    @staticmethod
    def _owner(cursor: Cursor, event: Any, subject: str) -> str | None:
        cursor.execute("SELECT account_id FROM timeline_owners WHERE aggregate_id = %s", (subject,))
        row = cursor.fetchone()
        if row is not None:
            return str(row["account_id"])
        if type(event).__qualname__ == "Account.Opened":
            owner: str | None = subject
        elif getattr(event, "parent_id", None) is not None:
            owner = str(event.parent_id)
        elif getattr(event, "account_id", None) is not None:
            owner = str(event.account_id)
        elif getattr(event, "room_id", None) is not None:
            cursor.execute(
                "SELECT account_id FROM timeline_owners WHERE aggregate_id = %s",
                (str(event.room_id),),
            )
            room = cursor.fetchone()
            owner = str(room["account_id"]) if room else None
        else:
            return None
        if owner is not None:
            cursor.execute(
                "INSERT INTO timeline_owners (aggregate_id, account_id) VALUES (%s, %s)",
                (subject, owner),
            )
        return owner
