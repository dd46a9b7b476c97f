"""Which account each public event belongs to: the index webhooks deliver from (0034).

A stream belongs to an account when its created event names the account (``account_id``: a
room, a ledger, a recording allowance) or a room of it (``room_id``: a session, an admission,
a registration, a chat message); every later event of the stream is that account's too. Each
event with a public kind (``domain.webhook_kinds``) then gets a row: its position, its account,
its kind and when it happened. An event whose stream names no account is never indexed, so it
is never delivered to anyone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain.access import Registration
from domain.admission import Admission
from domain.ledger import Ledger
from domain.live.chat import ChatMessage
from domain.live.recording import RecordingAccount
from domain.live_session import LiveSession
from domain.room import Room
from domain.webhook_kinds import EVENT_CLASSES, kind_of
from projections.store import Cursor

NAME = "account_events"
# The created events that tie a stream to an account, directly or through its room.
OWNING: tuple[type, ...] = (
    Room.Scheduled,
    Ledger.Opened,
    RecordingAccount.Opened,
    LiveSession.Started,
    Admission.Admitted,
    Registration.Registered,
    ChatMessage.Sent,
)


def micros(moment: datetime) -> int:
    """Microseconds since the epoch: compared as numbers, never as ISO text of mixed shapes."""
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond


class AccountEventsProjection:
    """``account_streams`` (stream to account) and ``account_events`` (position to account)."""

    name: str = NAME
    topics: tuple[str, ...] = tuple(dict.fromkeys(get_topic(c) for c in (*OWNING, *EVENT_CLASSES)))
    tables: tuple[str, ...] = ("account_streams", "account_events")

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        stream = str(event.originator_id)
        account: str | None = None
        if isinstance(event, Aggregate.Created):
            account = self._owner(cursor, event)
            if account is not None:
                cursor.execute(
                    "INSERT INTO account_streams (stream_id, account_id) VALUES (%s, %s)",
                    (stream, account),
                )
        kind = kind_of(event)
        if kind is None:
            return
        if account is None:
            account = self._account_of(cursor, stream)
            if account is None:
                return  # a stream of no account: nobody is told of it
        cursor.execute(
            "INSERT INTO account_events (position, account_id, kind, occurred_at_us) "
            "VALUES (%s, %s, %s, %s)",
            (position, account, kind.name, micros(event.at)),
        )

    def _owner(self, cursor: Cursor, event: Any) -> str | None:
        fields = vars(event)
        if isinstance(fields.get("account_id"), UUID):
            return str(fields["account_id"])
        if isinstance(fields.get("room_id"), UUID):
            return self._account_of(cursor, str(fields["room_id"]))
        return None

    @staticmethod
    def _account_of(cursor: Cursor, stream: str) -> str | None:
        cursor.execute("SELECT account_id FROM account_streams WHERE stream_id = %s", (stream,))
        row = cursor.fetchone()
        return str(row["account_id"]) if row is not None else None
