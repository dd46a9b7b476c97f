"""The lockout rule on a Login, and log-in costing one password check whatever the email."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from commands.accounts import Accounts
from commands.errors import AuthenticationError, LoginLockedError
from commands.unit_of_work import CommandRunner, Outcome
from domain.login import LockoutPolicy, Login, Role
from podium.clock import ManualClock
from podium.passwords import FastTestHasher
from tests.unit.factories import sqlite_store

AT = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)
POLICY = LockoutPolicy(failures=3, window=timedelta(minutes=10), duration=timedelta(minutes=5))


def login() -> Login:
    return Login("ann@acme.example", uuid4(), Role.OWNER, "hash", AT)


def test_failures_within_the_window_lock_for_the_duration() -> None:
    """The third wrong password within ten minutes locks for five minutes, from that one."""
    ann = login()
    assert ann.refuse_password(AT, POLICY) is None
    assert ann.refuse_password(AT + timedelta(minutes=4), POLICY) is None
    assert ann.refuse_password(AT + timedelta(minutes=9), POLICY) == AT + timedelta(minutes=14)
    assert ann.is_locked(AT + timedelta(minutes=13, seconds=59))
    assert not ann.is_locked(AT + timedelta(minutes=14))


def test_failures_older_than_the_window_do_not_count() -> None:
    """Two failures, then eleven minutes later two more: never three within ten minutes."""
    ann = login()
    ann.refuse_password(AT, POLICY)
    ann.refuse_password(AT + timedelta(minutes=1), POLICY)
    assert ann.refuse_password(AT + timedelta(minutes=12), POLICY) is None
    assert ann.refuse_password(AT + timedelta(minutes=13), POLICY) is None
    assert not ann.is_locked(AT + timedelta(minutes=13))
    assert len(ann.failed_logins) == 2  # the old ones are forgotten, not kept forever


def test_a_new_password_lifts_the_lock() -> None:
    """Setting a password (the reset link) ends the lock and forgets the failures."""
    ann = login()
    for _ in range(3):
        ann.refuse_password(AT, POLICY)
    ann.change_password("new-hash", AT + timedelta(minutes=1))
    assert not ann.is_locked(AT + timedelta(minutes=1))
    assert ann.failed_logins == ()


def test_replaying_the_events_gives_the_same_lock() -> None:
    """The events carry the decision: a Login rebuilt from them is locked until the same time."""
    ann = login()
    for minute in range(3):
        ann.refuse_password(AT + timedelta(minutes=minute), POLICY)
    events = ann.collect_events()
    copy: Login | None = None
    for stored in events:
        copy = stored.mutate(copy)
    assert copy is not None
    assert copy.locked_until == ann.locked_until == AT + timedelta(minutes=7)


class CountingHasher(FastTestHasher):
    """The real (cheap) argon2 hasher, counting the password checks it makes."""

    def __init__(self) -> None:
        super().__init__()
        self.verified = 0

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        return super().verify(password_hash, password)


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    runner = CommandRunner(sqlite_store(tmp_path / "events.db"), ManualClock(AT))
    return Accounts(runner, CountingHasher(), "http://podium.test", b"a test link key", POLICY)


def test_an_unknown_email_costs_one_password_check(accounts: Accounts) -> None:
    """Log-in with an email that has no login still verifies a password (against a dummy
    hash made by the real hasher), exactly as a wrong password does."""
    hasher = accounts.hasher
    assert isinstance(hasher, CountingHasher)
    accounts.sign_up("Acme", "ann@acme.example", "correct horse battery", False, None)
    assert (
        accounts.log_in("ann@acme.example", "wrong password", "key-1").outcome
        == Outcome.CREDENTIALS_REFUSED
    )
    assert hasher.verified == 1
    with pytest.raises(AuthenticationError, match="wrong email or password"):
        accounts.log_in("nobody@acme.example", "wrong password", "key-2")
    assert hasher.verified == 2


def test_a_locked_login_is_refused_without_a_password_check(accounts: Accounts) -> None:
    """While locked even the right password is refused, and no hash is computed for it."""
    hasher = accounts.hasher
    assert isinstance(hasher, CountingHasher)
    accounts.sign_up("Acme", "ann@acme.example", "correct horse battery", False, None)
    for n in range(3):
        accounts.log_in("ann@acme.example", "wrong password", f"key-{n}")
    checks = hasher.verified
    with pytest.raises(LoginLockedError, match="locked"):
        accounts.log_in("ann@acme.example", "correct horse battery", "key-9")
    assert hasher.verified == checks
