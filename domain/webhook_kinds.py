"""The public vocabulary of webhook events (decision 0034): what receivers see, by name.

Each kind names what happened to what (``session.started``), in the receivers' words, never
an internal class name, and carries an allowlist of fields: a new field in a domain event
reaches no receiver until it is named here, so room secrets, codes, hashes and client details
never leak by accident. A kind may also need a condition (a ledger entry is a payment only
when it is one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from domain.access import Registration
from domain.admission import Admission
from domain.ledger import Ledger
from domain.live.chat import ChatMessage
from domain.live.recording import RecordingAccount
from domain.live_session import LiveSession
from domain.room import Room

PAYMENT_KINDS = frozenset({"card_payment", "top_up"})


@dataclass(frozen=True)
class Kind:
    """One public event kind: the domain event it comes from and what of it is shown."""

    name: str
    event: type
    fields: tuple[str, ...]
    renamed: tuple[tuple[str, str], ...] = ()  # (domain field, public name)
    when: Callable[[Any], bool] | None = None
    description: str = ""

    def data(self, event: Any) -> dict[str, Any]:
        names = dict(self.renamed)
        state = vars(event)
        return {names.get(f, f): _plain(state[f]) for f in self.fields if f in state}


KINDS: tuple[Kind, ...] = (
    Kind("room.created", Room.Scheduled, ("name_url", "at"), description="a room was scheduled"),
    Kind("room.updated", Room.Edited, ("at",), description="a room's settings were edited"),
    Kind(
        "room.status_changed",
        Room.StatusChanged,
        ("status", "at"),
        description="a room became active, inactive or deleted",
    ),
    Kind(
        "session.started",
        LiveSession.Started,
        ("room_id", "n", "at"),
        (("n", "session"),),
        description="a live session of a room started",
    ),
    Kind("session.ended", LiveSession.Ended, ("how", "at"), description="a live session ended"),
    Kind(
        "attendee.joined",
        Admission.Admitted,
        ("room_id", "session", "email", "nickname", "role", "via", "at"),
        description="someone entered a live session for the first time",
    ),
    Kind("attendee.left", Admission.Left, ("at",), description="someone left a live session"),
    Kind(
        "registration.created",
        Registration.Registered,
        ("room_id", "email", "first_name", "last_name", "at"),
        description="someone registered for a room",
    ),
    Kind(
        "registration.cancelled",
        Registration.Cancelled,
        ("at",),
        description="a registration was cancelled",
    ),
    Kind(
        "chat.message",
        ChatMessage.Sent,
        ("room_id", "session", "nickname", "role", "audience", "text", "at"),
        description="a chat message was sent in a live session",
    ),
    Kind(
        "payment.succeeded",
        Ledger.EntryRecorded,
        ("kind", "amount", "currency", "balance_after", "description", "at"),
        when=lambda event: event.kind in PAYMENT_KINDS,
        description="money was added to the account (card payment or top-up)",
    ),
    Kind(
        "recording.ready",
        RecordingAccount.Stored,
        ("room_id", "session", "number", "content_type", "size", "seconds", "at"),
        description="a recording's file is stored and can be downloaded",
    ),
)

NAMES: frozenset[str] = frozenset(kind.name for kind in KINDS)
_BY_CLASS: dict[type, list[Kind]] = {}
for _kind in KINDS:
    _BY_CLASS.setdefault(_kind.event, []).append(_kind)
EVENT_CLASSES: tuple[type, ...] = tuple(_BY_CLASS)


def kind_of(event: Any) -> Kind | None:
    """The public kind of a domain event, or None if receivers are never told of it."""
    for kind in _BY_CLASS.get(type(event), ()):
        if kind.when is None or kind.when(event):
            return kind
    return None


def _plain(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
