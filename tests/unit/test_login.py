"""Logins and their one-time tokens, API keys, idempotency records and derived ids."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.api_key import ApiKey
from domain.errors import RuleViolationError
from domain.idempotency import IdempotencyRecord
from domain.ids import derived_id
from domain.login import InvalidTokenError, Login, Role

AT = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)
EXPIRES = AT + timedelta(hours=24)
DIGEST = hashlib.sha256(b"token-one").hexdigest()


def new_login(password_hash: str | None = None) -> Login:
    return Login("Ann@Acme.example", uuid4(), Role.MEMBER, password_hash, AT)


def with_token() -> Login:
    login = new_login()
    login.issue_token(DIGEST, EXPIRES, AT)
    return login


# ---- ids --------------------------------------------------------------------------------------


def test_derived_ids_are_deterministic_per_kind_and_key() -> None:
    """The same kind and key give the same id; another kind or key another id."""
    assert derived_id("login", "a@b.c") == derived_id("login", "a@b.c")
    assert derived_id("login", "a@b.c") != derived_id("ledger", "a@b.c")
    assert derived_id("login", "a@b.c") != derived_id("login", "a@b.d")


def test_login_id_ignores_case_and_surrounding_spaces() -> None:
    """An email holds one login whatever its case: the id derives from the trimmed lower case."""
    login = new_login()
    assert login.id == Login.id_for("ann@acme.example") == Login.id_for("  ANN@ACME.EXAMPLE ")
    assert login.id != Login.id_for("bob@acme.example")


# ---- login ------------------------------------------------------------------------------------


def test_a_login_without_a_password_cannot_log_in() -> None:
    """Until a password is set (activation) the login cannot be used."""
    login = new_login()
    assert login.role == Role.MEMBER
    assert not login.can_log_in
    login.change_password("argon2-hash", AT)
    assert login.can_log_in


def test_the_right_token_before_expiry_sets_the_password_and_is_spent() -> None:
    """Redeeming the token sets the password; the same token then no longer works."""
    login = with_token()
    login.set_password_with_token(DIGEST, "argon2-new", EXPIRES - timedelta(seconds=1))
    assert login.password_hash == "argon2-new"
    assert login.can_log_in
    with pytest.raises(InvalidTokenError):
        login.set_password_with_token(DIGEST, "argon2-again", EXPIRES - timedelta(seconds=1))
    assert login.password_hash == "argon2-new"


def test_a_wrong_token_is_refused() -> None:
    """A digest other than the issued one is refused and the password is unchanged."""
    login = with_token()
    with pytest.raises(InvalidTokenError, match="invalid, already used or expired"):
        login.set_password_with_token(hashlib.sha256(b"guess").hexdigest(), "argon2-x", AT)
    assert login.password_hash is None


@pytest.mark.parametrize("late", [timedelta(0), timedelta(seconds=1), timedelta(days=3)])
def test_an_expired_token_is_refused(late: timedelta) -> None:
    """At or after its expiry the token no longer works."""
    login = with_token()
    with pytest.raises(InvalidTokenError):
        login.set_password_with_token(DIGEST, "argon2-x", EXPIRES + late)


def test_without_a_token_nothing_can_be_redeemed() -> None:
    """A login that was never sent a token refuses any digest."""
    with pytest.raises(InvalidTokenError):
        new_login().set_password_with_token(DIGEST, "argon2-x", AT)


def test_a_newer_token_replaces_the_older() -> None:
    """Issuing a second token invalidates the first."""
    login = with_token()
    newer = hashlib.sha256(b"token-two").hexdigest()
    login.issue_token(newer, EXPIRES, AT)
    with pytest.raises(InvalidTokenError):
        login.set_password_with_token(DIGEST, "argon2-x", AT)
    login.set_password_with_token(newer, "argon2-x", AT)
    assert login.password_hash == "argon2-x"


def test_a_disabled_login_refuses_everything() -> None:
    """Disabled: it cannot log in, redeem its token, get a new one or change its password."""
    login = with_token()
    login.change_password("argon2-old", AT)
    login.issue_token(DIGEST, EXPIRES, AT)
    login.disable(AT)
    assert not login.can_log_in
    with pytest.raises(InvalidTokenError):
        login.set_password_with_token(DIGEST, "argon2-x", AT)
    with pytest.raises(RuleViolationError, match="disabled"):
        login.issue_token(DIGEST, EXPIRES, AT)
    with pytest.raises(RuleViolationError, match="disabled"):
        login.change_password("argon2-x", AT)
    assert login.password_hash == "argon2-old"


def test_disabling_twice_records_one_event() -> None:
    """Disable is idempotent."""
    login = new_login()
    login.collect_events()
    login.disable(AT)
    login.disable(AT)
    assert len(login.collect_events()) == 1


# ---- API keys and idempotency records ---------------------------------------------------------


def test_api_key_id_derives_from_its_digest() -> None:
    """Presenting a key finds it by its digest: the id is derived from it."""
    key = ApiKey("d" * 64, uuid4(), uuid4(), "ci", AT)
    assert key.id == ApiKey.id_for("d" * 64)
    assert ApiKey.id_for("d" * 64) != ApiKey.id_for("e" * 64)
    assert not key.revoked


def test_revoking_an_api_key_is_idempotent() -> None:
    """A revoked key stays revoked; revoking again records nothing."""
    key = ApiKey("d" * 64, uuid4(), uuid4(), "ci", AT)
    key.collect_events()
    key.revoke(AT)
    key.revoke(AT)
    assert key.revoked
    assert len(key.collect_events()) == 1


def test_idempotency_record_id_is_per_scope_and_key() -> None:
    """One record per (scope, key): the same key in another scope is another record."""
    record = IdempotencyRecord("acct-1", "key-1", "fp", "created", {"id": "x"})
    assert record.id == IdempotencyRecord.id_for("acct-1", "key-1")
    assert IdempotencyRecord.id_for("acct-2", "key-1") != record.id
    assert IdempotencyRecord.id_for("acct-1", "key-2") != record.id
    # The separator keeps ("a", "bc") and ("ab", "c") apart.
    assert IdempotencyRecord.id_for("a", "bc") != IdempotencyRecord.id_for("ab", "c")
    assert (record.fingerprint, record.outcome, record.body) == ("fp", "created", {"id": "x"})


def test_each_new_password_ends_the_sessions_issued_before_it() -> None:
    """A session carries the password generation it was issued under; a change or a reset
    moves the login on, and only sessions of the current generation stay valid."""
    login = new_login("argon2-first")
    first = login.password_generation
    assert not login.ended_session(first)
    login.change_password("argon2-second", AT)
    assert login.ended_session(first)
    second = login.password_generation
    assert not login.ended_session(second)
    login.issue_token(DIGEST, EXPIRES, AT)
    login.set_password_with_token(DIGEST, "argon2-third", AT)
    assert login.ended_session(second)


def test_only_keys_issued_by_logging_in_are_sessions() -> None:
    """Integration keys survive a password change; session and subaccount-access keys do not."""
    account_id, login_id = uuid4(), uuid4()
    labels = {"session": True, "subaccount access": True, "zapier": False, "api": False}
    for label, is_session in labels.items():
        key = ApiKey(hashlib.sha256(label.encode()).hexdigest(), account_id, login_id, label, AT)
        assert key.is_session is is_session, label
