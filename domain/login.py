"""The Login aggregate: one person's credentials on one account (owner, member or subaccount).

Its id derives from the lower-cased email, so an email can hold one login in all of Podium.
Passwords arrive already hashed (argon2, hashed outside the domain); one-time tokens (password
reset, activation) arrive as SHA-256 digests, so the event log never holds a usable secret.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import RuleViolationError
from domain.ids import derived_id


class Role(StrEnum):
    """What a login may do on its account."""

    OWNER = "owner"  # billing, members, subaccounts
    MEMBER = "member"  # shares the account's data; no billing
    SUBACCOUNT = "subaccount"  # the owner of a subaccount


# Who has billing rights (payment method, plan, funds, add-ons, packages, the transaction
# history and balance): the owner alone. A member shares the account's rooms, contacts and
# guests but never its money; a subaccount is billed through its parent. See docs/roles.md.
BILLING_ROLES = frozenset({Role.OWNER})


def has_billing_rights(role: Role) -> bool:
    """Whether a login of this role may read or change the account's billing."""
    return role in BILLING_ROLES


class InvalidTokenError(RuleViolationError):
    """A reset or activation token that is wrong, used or expired."""


class Login(CheapCopy, Aggregate):
    """Credentials of one person."""

    class Registered(Aggregate.Created):
        email: str
        account_id: UUID
        role: Role
        password_hash: str | None
        at: datetime

    @staticmethod
    def create_id(
        email: str, account_id: UUID, role: Role, password_hash: str | None, at: datetime
    ) -> UUID:
        return Login.id_for(email)

    @staticmethod
    def id_for(email: str) -> UUID:
        return derived_id("login", email.strip().lower())

    @event(Registered)
    def __init__(
        self, email: str, account_id: UUID, role: Role, password_hash: str | None, at: datetime
    ) -> None:
        self.email = email
        self.account_id = account_id
        self.role = Role(role)
        self.password_hash = password_hash
        self.token_digest: str | None = None
        self.token_expires: datetime | None = None
        self.disabled = False
        # Counts the passwords set after registration; a session key carries the count at
        # its issue, so a new password ends every older session (exactly, whatever the clock).
        self.password_generation = 0

    @property
    def can_log_in(self) -> bool:
        return self.password_hash is not None and not self.disabled

    def issue_token(self, digest: str, expires: datetime, at: datetime) -> None:
        """A one-time token (reset or activation link); a newer one replaces the older."""
        if self.disabled:
            raise RuleViolationError("this login is disabled")
        self._token_issued(digest, expires, at)

    @event("TokenIssued")
    def _token_issued(self, digest: str, expires: datetime, at: datetime) -> None:
        self.token_digest, self.token_expires = digest, expires

    def set_password_with_token(self, digest: str, password_hash: str, at: datetime) -> None:
        """Redeem the one-time token for a new password; the token is then spent."""
        if (
            self.disabled
            or self.token_digest is None
            or self.token_digest != digest
            or (self.token_expires is not None and self.token_expires <= at)
        ):
            raise InvalidTokenError("the link is invalid, already used or expired")
        self._password_set(password_hash, at)

    def change_password(self, password_hash: str, at: datetime) -> None:
        if self.disabled:
            raise RuleViolationError("this login is disabled")
        self._password_set(password_hash, at)

    @event("PasswordSet")
    def _password_set(self, password_hash: str, at: datetime) -> None:
        self.password_hash = password_hash
        self.token_digest = self.token_expires = None
        self.password_generation += 1

    def ended_session(self, password_generation: int) -> bool:
        """Whether a session issued under ``password_generation`` ended with a later password."""
        return password_generation != self.password_generation

    def disable(self, at: datetime) -> None:
        if not self.disabled:
            self._disabled(at)

    @event("Disabled")
    def _disabled(self, at: datetime) -> None:
        self.disabled = True
