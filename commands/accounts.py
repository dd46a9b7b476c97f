"""Accounts: sign-up, logins, members, API keys, passwords, and who a credential is."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from commands import mail
from commands.errors import AuthenticationError, LoginLockedError, PermissionDeniedError
from commands.ports import PasswordHasher
from commands.tokens import digest, new_link_token, parse_link_token
from commands.unit_of_work import A, CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.account import Account
from domain.api_key import SESSION, ApiKey
from domain.errors import InvalidRequestError, NotFoundError, RuleViolationError
from domain.ledger import Ledger
from domain.login import InvalidTokenError, LockoutPolicy, Login, Role
from domain.subaccount import Subaccount, SubaccountStatus

RESET_LINK_LIFETIME = timedelta(hours=1)
ACTIVATION_LINK_LIFETIME = timedelta(days=7)
MIN_PASSWORD, MAX_PASSWORD = 8, 256
WRONG_CREDENTIALS = "wrong email or password"


@dataclass(frozen=True)
class Principal:
    """Who a credential is: the login, the account it acts on, and in what role."""

    login_id: UUID
    account_id: UUID
    role: Role
    parent_id: UUID | None = None  # set when acting on a subaccount

    @property
    def is_owner(self) -> bool:
        return self.role == Role.OWNER


def check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidRequestError(
            f"a password must have {MIN_PASSWORD} to {MAX_PASSWORD} characters"
        )


def new_login(
    unit: UnitOfWork, email: str, account_id: UUID, role: Role, password_hash: str | None
) -> Login:
    """A login for ``email``, refused if that email already has one anywhere in Podium."""
    email = email.strip().lower()
    if unit.exists(Login.id_for(email)):
        raise RuleViolationError(f"{email} already has a Podium login")
    return unit.add(Login(email, account_id, role, password_hash, unit.now))


def locked_message(login: Login) -> str:
    until = f"{login.locked_until:%Y-%m-%d %H:%M} UTC" if login.locked_until else "later"
    return (
        f"this login is locked after too many wrong passwords, until {until}; to unlock it "
        "now, ask for a password reset link (POST /password-reset) and set a new password"
    )


class Accounts:
    """Sign-up and the credentials of an account."""

    def __init__(
        self,
        runner: CommandRunner,
        hasher: PasswordHasher,
        base_url: str,
        link_key: bytes,
        lockout: LockoutPolicy | None = None,
    ) -> None:
        self.runner = runner
        self.hasher = hasher
        self.base_url = base_url
        self.link_key = link_key  # the server's secret: emailed links are derived with it
        self.lockout = lockout or LockoutPolicy()

    @cached_property
    def _dummy_hash(self) -> str:
        """A hash of a password nobody knows, verified against for emails without a login, so
        an unknown email costs what a wrong password costs (no enumeration by timing)."""
        return self.hasher.hash(secrets.token_urlsafe(24))

    def link(self, path: str, token: str) -> str:
        return f"{self.base_url}/{path}?token={token}"

    def sign_up(
        self, name: str, email: str, password: str, nonprofit: bool, idem: Idempotency | None
    ) -> Result:
        """A new account on the 30-day trial, no card needed, with its owner's login."""
        check_password(password)
        password_hash = self.hasher.hash(password)

        def command(unit: UnitOfWork) -> Result:
            account = unit.add(Account(name, email.lower(), unit.now, nonprofit))
            unit.add(Ledger(account.id))
            login = new_login(unit, email, account.id, Role.OWNER, password_hash)
            return Result(
                Outcome.CREATED,
                {
                    "account_id": str(account.id),
                    "login_id": str(login.id),
                    "email": login.email,
                    "status": str(account.status),
                    "trial_ends": account.trial_ends.isoformat() if account.trial_ends else None,
                },
            )

        return self.runner.run(command, idem)

    def log_in(
        self, email: str, password: str, raw_key: str, idem: Idempotency | None = None
    ) -> Result:
        """Check the password and issue a session key (``raw_key``) for it.

        A wrong password is recorded on the login (and answered CREDENTIALS_REFUSED); enough of
        them lock it (``LockoutPolicy``), and while it is locked even the right password is
        refused.
        """

        def command(unit: UnitOfWork) -> Result:
            login = unit.find(Login, Login.id_for(email))
            if login is None or not login.can_log_in:
                self.hasher.verify(self._dummy_hash, password)  # the same cost as a wrong one
                raise AuthenticationError(WRONG_CREDENTIALS)
            if login.is_locked(unit.now):
                raise LoginLockedError(locked_message(login))
            if not self.hasher.verify(login.password_hash or "", password):
                if login.refuse_password(unit.now, self.lockout) is None:
                    return Result(Outcome.CREDENTIALS_REFUSED, {"detail": WRONG_CREDENTIALS})
                return Result(
                    Outcome.CREDENTIALS_REFUSED,
                    {"detail": f"{WRONG_CREDENTIALS}; {locked_message(login)}"},
                )
            login.accept_password(unit.now)
            key = unit.add(
                ApiKey(
                    digest(raw_key),
                    login.account_id,
                    login.id,
                    SESSION,
                    unit.now,
                    login.password_generation,
                )
            )
            return Result(
                Outcome.CREATED, {"api_key_id": str(key.id), "account_id": str(login.account_id)}
            )

        return self.runner.run(command, idem)

    def issue_api_key(
        self, who: Principal, label: str, raw_key: str, idem: Idempotency | None
    ) -> Result:
        def command(unit: UnitOfWork) -> Result:
            key = unit.add(ApiKey(digest(raw_key), who.account_id, who.login_id, label, unit.now))
            return Result(
                Outcome.CREATED, {"id": str(key.id), "label": label, "prefix": raw_key[:8]}
            )

        return self.runner.run(command, idem)

    def revoke_api_key(self, who: Principal, key_id: UUID) -> Result:
        """A login revokes its own keys; the account's owner may revoke any of the account's."""

        def command(unit: UnitOfWork) -> Result:
            key = unit.find(ApiKey, key_id)
            if key is None or key.account_id != who.account_id:
                raise NotFoundError("API key not found")
            if key.login_id != who.login_id and not who.is_owner:
                raise PermissionDeniedError("only the account owner can revoke another login's key")
            key.revoke(unit.now)
            return Result(Outcome.DONE, {"id": str(key.id), "revoked": True})

        return self.runner.run(command)

    def authenticate(self, raw_key: str) -> Principal:
        """Who presents ``raw_key``; AuthenticationError if nobody (or nobody any more)."""
        key = self._load(ApiKey, ApiKey.id_for(digest(raw_key)))
        login = self._load(Login, key.login_id)
        if key.revoked or login.disabled:
            raise AuthenticationError("the API key is not valid (revoked or disabled)")
        if key.is_session and login.ended_session(key.password_generation):
            raise AuthenticationError("the session ended when the password changed; log in again")
        if key.account_id == login.account_id:
            return Principal(login.id, login.account_id, login.role)
        # A parent owner's key into one of its subaccounts ("log into it").
        sub = self._load(Subaccount, key.account_id)
        if not sub.is_live or sub.parent_id != login.account_id:
            raise AuthenticationError("the subaccount no longer exists")
        return Principal(login.id, sub.id, Role.SUBACCOUNT, parent_id=login.account_id)

    def _load(self, cls: type[A], aggregate_id: UUID) -> A:
        try:
            aggregate: object = self.runner.store.load(aggregate_id)
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, cls):
            raise AuthenticationError("the API key is not valid")
        return aggregate

    def invite_member(self, who: Principal, email: str, idem: Idempotency | None) -> Result:
        """Another login on the same account; it sets its password through the emailed link."""

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, who.account_id, "account")
            login = new_login(unit, email, account.id, Role.MEMBER, None)
            token, token_digest = new_link_token(login.id, self.link_key)
            login.issue_token(token_digest, unit.now + ACTIVATION_LINK_LIFETIME, unit.now)
            why = f"You were added as a user of the Podium account {account.name}."
            link = self.link("activate", token)
            mail.activation(unit, account.id, login.email, link, account.name, why)
            return Result(
                Outcome.CREATED, {"login_id": str(login.id), "email": login.email, "role": "member"}
            )

        return self.runner.run(command, idem)

    def remove_member(self, who: Principal, login_id: UUID) -> Result:
        def command(unit: UnitOfWork) -> Result:
            login = unit.find(Login, login_id)
            if login is None or login.account_id != who.account_id or login.disabled:
                raise NotFoundError("member not found")
            if login.role == Role.OWNER:
                raise RuleViolationError("the account owner cannot be removed")
            login.disable(unit.now)
            return Result(Outcome.DONE, {"login_id": str(login.id), "removed": True})

        return self.runner.run(command)

    def request_password_reset(self, email: str, idem: Idempotency | None = None) -> Result:
        """Email a reset link if the login exists; the answer is the same either way.

        A login still waiting for its first password gets one too: it is how an invited member
        or a subaccount whose activation link expired gets a fresh link (the email cannot be
        invited or assigned again, as it already has a login).
        """

        def command(unit: UnitOfWork) -> Result:
            login = unit.find(Login, Login.id_for(email))
            if login is not None and not login.disabled:
                token, token_digest = new_link_token(login.id, self.link_key)
                login.issue_token(token_digest, unit.now + RESET_LINK_LIFETIME, unit.now)
                link = self.link("reset-password", token)
                mail.password_reset(unit, login.account_id, login.email, link)
            return Result(
                Outcome.ACCEPTED,
                {"detail": "if that email has a login, a reset link is on its way"},
            )

        return self.runner.run(command, idem)

    def set_password(self, token: str, password: str, idem: Idempotency | None = None) -> Result:
        """Redeem a reset or activation link; activating a subaccount's login activates it."""
        check_password(password)
        login_id, token_digest = parse_link_token(token)
        password_hash = self.hasher.hash(password)

        def command(unit: UnitOfWork) -> Result:
            login = unit.find(Login, login_id)
            if login is None:
                # The same answer as a wrong, spent or expired token on an existing login.
                raise InvalidTokenError("the link is invalid, already used or expired")
            login.set_password_with_token(token_digest, password_hash, unit.now)
            if login.role == Role.SUBACCOUNT:
                sub = unit.get(Subaccount, login.account_id, "subaccount")
                if sub.status == SubaccountStatus.PENDING_ACTIVATION:
                    sub.activate(unit.now)
            return Result(Outcome.DONE, {"login_id": str(login.id), "email": login.email})

        return self.runner.run(command, idem)

    def change_password(self, who: Principal, current: str, new: str) -> Result:
        check_password(new)
        new_hash = self.hasher.hash(new)

        def command(unit: UnitOfWork) -> Result:
            login = unit.get(Login, who.login_id, "login")
            if not self.hasher.verify(login.password_hash or "", current):
                # 422, not 401: the caller is logged in; the form's field is wrong.
                raise InvalidRequestError("current_password is wrong")
            login.change_password(new_hash, unit.now)
            return Result(Outcome.DONE, {"login_id": str(login.id)})

        return self.runner.run(command)
