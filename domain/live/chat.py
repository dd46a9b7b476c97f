"""A session's chat: whether participants may write, and one stream per message (decision 0014).

``Chat`` (id from room + session) holds what presenters switch: chat on or off for participants.
It is created by the first switch; a session with no ``Chat`` stream has chat on. Presenters
may always write.

``ChatMessage`` is one stream per message, created by sending it, so a room full of people
writing at once writes new streams and never contends on one. A message goes to everyone
(``audience="all"``) or privately to the presenters (``audience="presenters"``, which makes the
whole stream presenters-only for room clients, decision 0014). A presenter may delete a message;
its stream, and so the session's history, keeps it with who deleted it and when.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, RuleViolationError
from domain.ids import derived_id

MAX_MESSAGE = 2000
TO_ALL = "all"
TO_PRESENTERS = "presenters"
AUDIENCES = frozenset({TO_ALL, TO_PRESENTERS})


def check_text(text: str) -> str:
    """The message as kept: stripped, not empty, at most 2,000 characters."""
    kept = text.strip()
    if not kept:
        raise InvalidRequestError("a chat message needs some text")
    if len(kept) > MAX_MESSAGE:
        raise InvalidRequestError(
            f"a chat message is at most {MAX_MESSAGE} characters; this one has {len(kept)}"
        )
    return kept


class Chat(CheapCopy, Aggregate):
    """Chat on or off for the participants of one session (presenters may always write)."""

    class Opened(Aggregate.Created):
        room_id: UUID
        session: int
        enabled: bool
        by: str
        at: datetime

    class Switched(Aggregate.Event):
        enabled: bool
        by: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int, enabled: bool, by: str, at: datetime) -> UUID:
        return Chat.id_for(room_id, session)

    @staticmethod
    def id_for(room_id: UUID, session: int) -> UUID:
        return derived_id("live-chat", f"{room_id}:{session}")

    @event(Opened)
    def __init__(self, room_id: UUID, session: int, enabled: bool, by: str, at: datetime) -> None:
        self.room_id, self.session, self.enabled = room_id, session, enabled

    def switch(self, enabled: bool, by: str, at: datetime) -> bool:
        """Turn chat on or off; False (nothing appended) when it already was."""
        if enabled == self.enabled:
            return False
        self._switched(enabled, by, at)
        return True

    @event(Switched)
    def _switched(self, enabled: bool, by: str, at: datetime) -> None:
        self.enabled = enabled


def check_may_write(chat: Chat | None, presents: bool) -> None:
    """Participants write only while chat is on; presenters always may."""
    if not presents and chat is not None and not chat.enabled:
        raise RuleViolationError("the chat is turned off for participants in this session")


class ChatMessage(CheapCopy, Aggregate):
    """One chat message of a session, to all or privately to the presenters."""

    class Sent(Aggregate.Created):
        room_id: UUID
        session: int
        email: str  # presenters only, as every field named email (decision 0014)
        nickname: str
        role: str
        audience: str
        text: str
        at: datetime

    class Deleted(Aggregate.Event):
        by: str
        at: datetime

    @event(Sent)
    def __init__(
        self,
        room_id: UUID,
        session: int,
        email: str,
        nickname: str,
        role: str,
        audience: str,
        text: str,
        at: datetime,
    ) -> None:
        self.room_id, self.session = room_id, session
        self.email, self.nickname, self.role = email, nickname, role
        self.audience, self.text, self.sent_at = audience, text, at
        self.deleted_at: datetime | None = None
        self.deleted_by: str | None = None

    @classmethod
    def send(
        cls,
        room_id: UUID,
        session: int,
        sender: tuple[str, str, str],
        audience: str,
        text: str,
        at: datetime,
    ) -> ChatMessage:
        """A new message from ``sender`` (email, nickname, role), its text checked and stripped
        before it is recorded."""
        if audience not in AUDIENCES:
            raise InvalidRequestError(f"a message goes to one of {sorted(AUDIENCES)}")
        email, nickname, role = sender
        return cls(room_id, session, email, nickname, role, audience, check_text(text), at)

    def delete(self, by: str, at: datetime) -> bool:
        """Delete the message for everyone; False when it already was."""
        if self.deleted_at is not None:
            return False
        self._deleted(by, at)
        return True

    @event(Deleted)
    def _deleted(self, by: str, at: datetime) -> None:
        self.deleted_at, self.deleted_by = at, by
