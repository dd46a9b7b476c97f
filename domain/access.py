"""Who may enter a room: access tokens, registrations and invitations, each its own aggregate.

Per-person facts live in per-person streams (ids derived from the room and the person), so a
thousand people registering or redeeming tokens at once never queue on one stream.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import RuleViolationError
from domain.ids import derived_id


class Role(StrEnum):
    """A participant's role in a room (ClickMeeting's names)."""

    LISTENER = "listener"
    PRESENTER = "presenter"
    HOST = "host"


class AccessRefusedError(RuleViolationError):
    """Someone may not enter a room; the message says why (wrong password, used token...)."""


class WrongSecretError(AccessRefusedError):
    """A join refused for a wrong secret (password, token, link): what a guesser gets, and what
    the API's rate limit on refused joins counts."""


class AccessToken(CheapCopy, Aggregate):
    """A token that lets exactly one person into a token-access room."""

    class Generated(Aggregate.Created):
        room_id: UUID
        token: str
        at: datetime

    class Used(Aggregate.Event):
        email: str
        at: datetime

    class Sent(Aggregate.Event):
        email: str
        at: datetime

    class Deactivated(Aggregate.Event):
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, token: str, at: datetime) -> UUID:
        return AccessToken.id_for(room_id, token)

    @staticmethod
    def id_for(room_id: UUID, token: str) -> UUID:
        return derived_id("access-token", f"{room_id}:{token.strip().upper()}")

    @event(Generated)
    def __init__(self, room_id: UUID, token: str, at: datetime) -> None:
        self.room_id = room_id
        self.token = token
        self.used_by: str | None = None
        self.first_use: datetime | None = None
        self.sent_to: str | None = None
        self.active = True

    def use(self, email: str, at: datetime) -> None:
        """Let ``email`` in; the same person may come back, nobody else may use it."""
        if not self.active:
            raise AccessRefusedError("this token has been deactivated")
        who = email.strip().lower()
        if self.used_by is not None and self.used_by != who:
            raise AccessRefusedError("this token has already been used by someone else")
        if self.used_by is None:
            self._used(who, at)

    @event(Used)
    def _used(self, email: str, at: datetime) -> None:
        self.used_by, self.first_use = email, at

    def send_to(self, email: str, at: datetime) -> None:
        self._sent(email.strip().lower(), at)

    @event(Sent)
    def _sent(self, email: str, at: datetime) -> None:
        self.sent_to = email

    def deactivate(self, at: datetime) -> None:
        if self.active:
            self._deactivated(at)

    @event(Deactivated)
    def _deactivated(self, at: datetime) -> None:
        self.active = False


class Registration(CheapCopy, Aggregate):
    """One person's registration for a room (one per email per room)."""

    class Registered(Aggregate.Created):
        room_id: UUID
        email: str
        first_name: str
        last_name: str
        answers: dict[str, Any]
        code: str
        at: datetime

    class Cancelled(Aggregate.Event):
        at: datetime

    @staticmethod
    def create_id(
        room_id: UUID,
        email: str,
        first_name: str,
        last_name: str,
        answers: dict[str, Any],
        code: str,
        at: datetime,
    ) -> UUID:
        return Registration.id_for(room_id, email)

    @staticmethod
    def id_for(room_id: UUID, email: str) -> UUID:
        return derived_id("registration", f"{room_id}:{email.strip().lower()}")

    @event(Registered)
    def __init__(
        self,
        room_id: UUID,
        email: str,
        first_name: str,
        last_name: str,
        answers: dict[str, Any],
        code: str,
        at: datetime,
    ) -> None:
        self.room_id = room_id
        self.email = email
        self.code = code  # the "r" in the personal room link
        self.active = True

    def cancel(self, at: datetime) -> None:
        if self.active:
            self._cancelled(at)

    @event(Cancelled)
    def _cancelled(self, at: datetime) -> None:
        self.active = False


class Invitation(CheapCopy, Aggregate):
    """An invitation of one email address to a room in one role; re-sendable."""

    class Sent(Aggregate.Created):
        room_id: UUID
        email: str
        role: str
        lang: str
        template: str
        at: datetime

    class Resent(Aggregate.Event):
        at: datetime

    class TokenGiven(Aggregate.Event):
        token: str
        at: datetime

    @staticmethod
    def create_id(
        room_id: UUID, email: str, role: str, lang: str, template: str, at: datetime
    ) -> UUID:
        return Invitation.id_for(room_id, email, role)

    @staticmethod
    def id_for(room_id: UUID, email: str, role: str) -> UUID:
        return derived_id("invitation", f"{room_id}:{email.strip().lower()}:{role}")

    @event(Sent)
    def __init__(
        self, room_id: UUID, email: str, role: str, lang: str, template: str, at: datetime
    ) -> None:
        self.room_id = room_id
        self.email = email
        self.role = Role(role)
        self.lang = lang
        self.template = template
        self.sends = 1
        self.token: str | None = None

    def resend(self, at: datetime) -> None:
        self._resent(at)

    @event(Resent)
    def _resent(self, at: datetime) -> None:
        self.sends += 1

    def give_token(self, token: str, at: datetime) -> None:
        """The invitee's own access token, sent with every copy of this invitation."""
        self._token_given(token, at)

    @event(TokenGiven)
    def _token_given(self, token: str, at: datetime) -> None:
        self.token = token
