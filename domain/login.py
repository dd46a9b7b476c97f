"""The Login aggregate: one person's credentials on one account (owner, member or subaccount).

Its id derives from the lower-cased email, so an email can hold one login in all of Podium.
Passwords arrive already hashed (argon2, hashed outside the domain); one-time tokens (password
reset, activation) arrive as SHA-256 digests, so the event log never holds a usable secret.

Wrong passwords are facts of the login too (``PasswordRefused``): after ``LockoutPolicy.failures``
of them within its window the login is locked for a while, and a new password (the reset link)
lifts the lock. Kept in the event store, the lock holds in every process (decision 0008).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
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


@dataclass(frozen=True)
class LockoutPolicy:
    """How many wrong passwords within ``window`` lock a login, and for how long."""

    failures: int = 10
    window: timedelta = timedelta(minutes=15)
    duration: timedelta = timedelta(minutes=15)


class Login(CheapCopy, Aggregate):
    """Credentials of one person."""

    # Class-level defaults: logins stored before lockout existed load with none.
    failed_logins: tuple[datetime, ...] = ()
    locked_until: datetime | None = None

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
        # A new password (a reset link, or the owner changing it) ends a lockout.
        self.failed_logins, self.locked_until = (), None

    # ---- wrong passwords and the lockout ------------------------------------------------------

    def is_locked(self, at: datetime) -> bool:
        return self.locked_until is not None and at < self.locked_until

    def refuse_password(self, at: datetime, policy: LockoutPolicy) -> datetime | None:
        """Record a wrong password; returns the end of the lockout if this one starts it."""
        since = at - policy.window
        recent = sum(1 for failed in self.failed_logins if failed > since) + 1
        locked_until = at + policy.duration if recent >= policy.failures else None
        self._password_refused(at, since, locked_until)
        return locked_until

    @event("PasswordRefused")
    def _password_refused(
        self, at: datetime, keep_since: datetime, locked_until: datetime | None
    ) -> None:
        # The event carries the decision (the window's start, the lock's end), so replaying
        # it gives the same state whatever the policy is by then.
        if locked_until is not None:
            self.failed_logins, self.locked_until = (), locked_until
        else:
            kept = tuple(failed for failed in self.failed_logins if failed > keep_since)
            self.failed_logins = (*kept, at)

    def accept_password(self, at: datetime) -> None:
        """The right password: earlier failures stop counting towards a lockout."""
        if self.failed_logins or self.locked_until is not None:
            self._failures_cleared(at)

    @event("FailuresCleared")
    def _failures_cleared(self, at: datetime) -> None:
        self.failed_logins, self.locked_until = (), None

    def ended_session(self, password_generation: int) -> bool:
        """Whether a session issued under ``password_generation`` ended with a later password."""
        return password_generation != self.password_generation

    def disable(self, at: datetime) -> None:
        if not self.disabled:
            self._disabled(at)

    @event("Disabled")
    def _disabled(self, at: datetime) -> None:
        self.disabled = True
