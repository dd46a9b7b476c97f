"""A login locks after repeated wrong passwords: the right one is refused too, saying it is
locked and how to unlock it; a reset link lifts the lock, and it holds in every process."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.clock import ManualClock
from podium.passwords import FastTestHasher
from podium.settings import Settings
from tests.e2e.helpers import PASSWORD, expect, link_token, problem, sign_up

EMAIL = "ann@acme.example"
WRONG = "not the password"
NEW_PASSWORD = "a brand new password"
UNLIMITED = {
    name: ""
    for name in (
        "limit_log_in_per_email",
        "limit_log_in_per_address",
        "limit_reset_per_email",
        "limit_reset_per_address",
    )
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """No rate limits here, so what is seen is the lockout alone."""
    return settings.model_copy(update=UNLIMITED)


def log_in(client: TestClient, password: str, email: str = EMAIL) -> Response:
    response: Response = client.post("/sessions", json={"email": email, "password": password})
    return response


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client: TestClient) -> None:
    """After 50 wrong passwords the right one is 401, saying the login is locked, until when,
    and that a password reset unlocks it; the 10th wrong one already says so."""
    sign_up(client, EMAIL)
    answers = [log_in(client, WRONG) for _ in range(50)]
    for response in answers[:9]:
        assert problem(response, 401)["detail"] == "wrong email or password"
    for response in answers[9:]:
        assert "locked" in problem(response, 401)["detail"]
    detail = problem(log_in(client, PASSWORD), 401)["detail"]
    assert "locked after too many wrong passwords" in detail
    assert "until 2026-10-15 09:15 UTC" in detail
    assert "/password-reset" in detail


def test_a_reset_link_lifts_the_lock(client: TestClient, podium: Podium) -> None:
    """Setting a new password through the emailed reset link unlocks the login at once."""
    sign_up(client, EMAIL)
    for _ in range(10):
        log_in(client, WRONG)
    problem(log_in(client, PASSWORD), 401)
    expect(client.post("/password-reset", json={"email": EMAIL}), 202)
    token = link_token(podium, EMAIL, "password_reset")
    expect(
        client.post("/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}),
        200,
    )
    expect(log_in(client, NEW_PASSWORD), 201)


def test_the_lock_ends_by_itself(client: TestClient, clock: ManualClock) -> None:
    """Fifteen minutes after it started the lock is gone and the right password works."""
    sign_up(client, EMAIL)
    for _ in range(10):
        log_in(client, WRONG)
    clock.advance(timedelta(minutes=14, seconds=59))
    problem(log_in(client, PASSWORD), 401)
    clock.advance(timedelta(seconds=1))
    expect(log_in(client, PASSWORD), 201)


def test_a_successful_log_in_forgets_earlier_failures(client: TestClient) -> None:
    """Nine wrong, the right one, nine wrong again: never ten in a row, so no lock."""
    sign_up(client, EMAIL)
    for _ in range(9):
        problem(log_in(client, WRONG), 401)
    expect(log_in(client, PASSWORD), 201)
    for _ in range(9):
        assert problem(log_in(client, WRONG), 401)["detail"] == "wrong email or password"
    expect(log_in(client, PASSWORD), 201)


def test_a_lock_holds_in_another_process(
    client: TestClient, settings: Settings, clock: ManualClock
) -> None:
    """A second Podium on the same store (another API process) refuses the locked login:
    the lock is in the event store, not in a process's memory."""
    sign_up(client, EMAIL)
    for _ in range(10):
        log_in(client, WRONG)
    other = bootstrap(settings, clock=clock, hasher=FastTestHasher(), apply_migrations=False)
    try:
        with TestClient(create_app(other)) as elsewhere:
            assert "locked" in problem(log_in(elsewhere, PASSWORD), 401)["detail"]
    finally:
        other.close()


def test_an_unknown_email_is_answered_like_a_wrong_password(client: TestClient) -> None:
    """An email without a login gets the very answer a wrong password gets, and never locks."""
    sign_up(client, EMAIL)
    wrong = problem(log_in(client, WRONG), 401)
    for _ in range(12):
        unknown = problem(log_in(client, WRONG, email="nobody@acme.example"), 401)
        assert unknown == wrong
