"""Passwords: reset through the emailed one-time link, and change while logged in."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from httpx import Response

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import (
    PASSWORD,
    Json,
    auth,
    expect,
    head,
    link_token,
    log_in,
    problem,
    sign_up,
    trial_owner,
)

EMAIL = "owner@example.com"
NEW_PASSWORD = "a brand new passphrase"


def request_reset(client: TestClient, email: str = EMAIL) -> Json:
    return expect(client.post("/password-reset", json={"email": email}), 202)


def confirm(client: TestClient, token: str, password: str = NEW_PASSWORD) -> Response:
    response: Response = client.post(
        "/password-reset/confirm", json={"token": token, "password": password}
    )
    return response


def test_a_reset_link_sets_a_new_password_and_the_old_one_stops_working(
    client: TestClient, podium: Podium
) -> None:
    """The emailed link sets a new password: the new one logs in, the old one gets 401."""
    sign_up(client, EMAIL)
    request_reset(client)
    token = link_token(podium, EMAIL, "password_reset")
    expect(confirm(client, token), 200)
    problem(client.post("/sessions", json={"email": EMAIL, "password": PASSWORD}), 401)
    log_in(client, EMAIL, NEW_PASSWORD)


def test_a_reset_link_works_once(client: TestClient, podium: Podium) -> None:
    """A spent reset token is refused (409) and does not change the password again."""
    sign_up(client, EMAIL)
    request_reset(client)
    token = link_token(podium, EMAIL, "password_reset")
    expect(confirm(client, token), 200)
    refused = problem(confirm(client, token, "someone else's pass"), 409)
    assert "already used or expired" in refused["detail"]
    log_in(client, EMAIL, NEW_PASSWORD)


def test_a_reset_link_expires_after_an_hour(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """An hour after it was sent, the link is refused and the old password still works."""
    sign_up(client, EMAIL)
    request_reset(client)
    token = link_token(podium, EMAIL, "password_reset")
    clock.advance(timedelta(hours=1))
    problem(confirm(client, token), 409)
    log_in(client, EMAIL)


def test_a_newer_reset_link_replaces_the_older(client: TestClient, podium: Podium) -> None:
    """Asking twice: only the newest link works."""
    sign_up(client, EMAIL)
    request_reset(client)
    first = link_token(podium, EMAIL, "password_reset")
    request_reset(client)
    second = link_token(podium, EMAIL, "password_reset")
    assert first != second
    problem(confirm(client, first), 409)
    expect(confirm(client, second), 200)


def test_asking_for_an_unknown_email_looks_the_same_and_sends_nothing(
    client: TestClient, podium: Podium
) -> None:
    """The answer does not tell whether the email has a login; no mail goes out for none."""
    sign_up(client, EMAIL)
    known = request_reset(client)
    before = head(podium)
    unknown = request_reset(client, "ghost@example.com")
    assert unknown == known
    assert head(podium) == before
    assert podium.views.outbox.to("ghost@example.com") == []


def test_a_forged_or_malformed_token_is_refused(client: TestClient) -> None:
    """A token for no login gets the same 409 as a wrong one; a malformed token is 422."""
    sign_up(client, EMAIL)
    forged = problem(confirm(client, "0" * 32 + ".not-the-secret"), 409)
    assert "already used or expired" in forged["detail"]
    problem(confirm(client, "no-dot-no-login-id"), 422)


def test_a_logged_in_user_can_change_the_password(client: TestClient) -> None:
    """PUT /me/password with the current password sets a new one; the old stops working."""
    owner = trial_owner(client, EMAIL)
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    expect(client.put("/me/password", json=body, headers=owner.headers), 200)
    problem(client.post("/sessions", json={"email": EMAIL, "password": PASSWORD}), 401)
    log_in(client, EMAIL, NEW_PASSWORD)


def test_the_outbox_shows_a_recipients_messages_with_their_links(
    client: TestClient, podium: Podium
) -> None:
    """OutboxView.to(email) lists each message with its body, the link in it included."""
    sign_up(client, EMAIL)
    request_reset(client)
    [mail] = podium.views.outbox.to(EMAIL)
    assert "/reset-password?token=" in mail["body"]


def test_a_new_password_ends_every_session_but_keeps_integration_keys(
    client: TestClient, podium: Podium
) -> None:
    """After a change (or a reset) every session of the login is refused with 401, the one
    that made the change too; an API key made for an integration keeps working; a new log-in
    with the new password works."""
    owner = trial_owner(client, EMAIL)
    other_session = auth(log_in(client, EMAIL))
    integration = expect(
        client.post("/api-keys", json={"label": "crm"}, headers=owner.headers), 201
    )
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    expect(client.put("/me/password", json=body, headers=owner.headers), 200)
    for ended in (owner.headers, other_session):
        refused = problem(client.get("/account", headers=ended), 401)
        assert "password changed" in refused["detail"]
    expect(client.get("/account", headers=auth(integration["api_key"])), 200)
    fresh = auth(log_in(client, EMAIL, NEW_PASSWORD))
    expect(client.get("/account", headers=fresh), 200)

    request_reset(client)
    expect(confirm(client, link_token(podium, EMAIL, "password_reset"), "third passphrase!"), 200)
    problem(client.get("/account", headers=fresh), 401)
    expect(client.get("/account", headers=auth(integration["api_key"])), 200)


def test_an_api_key_cannot_take_a_session_label(client: TestClient) -> None:
    owner = trial_owner(client, EMAIL)
    refused = problem(
        client.post("/api-keys", json={"label": "session"}, headers=owner.headers), 422
    )
    assert "reserved" in str(refused)


def test_retried_password_requests_act_once(client: TestClient, podium: Podium) -> None:
    """Under one Idempotency-Key: a reset request sends one link, a confirmation answers the
    same twice (not "already used"), and a log-in gives the same session key."""
    sign_up(client, EMAIL)
    key = {"Idempotency-Key": "reset-1"}
    for _ in range(2):
        expect(client.post("/password-reset", json={"email": EMAIL}, headers=key), 202)
    resets = [m for m in podium.views.outbox.to(EMAIL) if "/reset-password?token=" in m["body"]]
    assert len(resets) == 1

    token = link_token(podium, EMAIL, "password_reset")
    body = {"token": token, "password": NEW_PASSWORD}
    first = client.post("/password-reset/confirm", json=body, headers={"Idempotency-Key": "c-1"})
    again = client.post("/password-reset/confirm", json=body, headers={"Idempotency-Key": "c-1"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()

    credentials = {"email": EMAIL, "password": NEW_PASSWORD}
    sessions = [
        expect(client.post("/sessions", json=credentials, headers={"Idempotency-Key": "s-1"}), 201)
        for _ in range(2)
    ]
    assert sessions[0]["api_key"] == sessions[1]["api_key"]
    assert sessions[0]["api_key_id"] == sessions[1]["api_key_id"]
    expect(client.get("/account", headers=auth(sessions[1]["api_key"])), 200)
