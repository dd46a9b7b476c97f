"""Rate limits on the public doors (log-in, password reset, sign-up, registration, join), each
answered 429 problem+json with Retry-After. Limits are set low here; the defaults are generous."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from podium.bootstrap import Podium
from podium.settings import Settings
from tests.e2e.helpers import PASSWORD, expect, problem, sign_up, trial_owner
from tests.e2e.rooms import join, schedule

WRONG = "not the password"
LOW = {
    "limit_log_in_per_email": "3/minute",
    "limit_log_in_per_address": "6/minute",
    "limit_reset_per_email": "2/hour",
    "limit_reset_per_address": "4/hour",
    "limit_sign_up_per_email": "2/hour",
    "limit_sign_up_per_address": "5/hour",
    "limit_registration_per_email": "2/hour",
    "limit_registration_per_address": "4/hour",
    "limit_join_refusals_per_address": "5/minute",
    "limit_join_refusals_per_room": "8/minute",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update=LOW)


def throttled(response: Response) -> str:
    """A 429 problem+json with a positive whole Retry-After; returns its detail."""
    body = problem(response, 429)
    assert int(response.headers["Retry-After"]) >= 1
    assert body["retry_after"] == int(response.headers["Retry-After"])
    assert "try again in" in body["detail"]
    return str(body["detail"])


def log_in(client: TestClient, email: str, password: str = WRONG) -> Response:
    response: Response = client.post("/sessions", json={"email": email, "password": password})
    return response


def test_log_in_is_limited_per_email(client: TestClient) -> None:
    """The 4th attempt on one email within a minute is 429, even with the right password;
    another email from the same address still gets its own answer."""
    sign_up(client, "ann@acme.example")
    for _ in range(3):
        problem(log_in(client, "ann@acme.example"), 401)
    assert "this email" in throttled(log_in(client, "ann@acme.example", PASSWORD))
    problem(log_in(client, "bob@acme.example"), 401)


def test_log_in_is_limited_per_address(client: TestClient, podium: Podium) -> None:
    """Six attempts from one address on six emails, then the 7th is 429 for any email; a
    client at another address is not affected."""
    for n in range(6):
        problem(log_in(client, f"nobody{n}@acme.example"), 401)
    assert "your address" in throttled(log_in(client, "someone@acme.example"))
    with TestClient(create_app(podium), client=("192.0.2.7", 4000)) as elsewhere:
        problem(log_in(elsewhere, "someone@acme.example"), 401)


def test_a_refused_attempt_is_not_counted(client: TestClient) -> None:
    """Attempts refused with 429 use up nothing: the per-address window still holds the
    same three earlier attempts, so a fresh email is not refused for the address."""
    for _ in range(3):
        problem(log_in(client, "ann@acme.example"), 401)
    for _ in range(5):
        throttled(log_in(client, "ann@acme.example"))
    problem(log_in(client, "bob@acme.example"), 401)


def test_password_reset_is_limited_per_email(client: TestClient) -> None:
    """Two reset requests for one email an hour; the third is 429 (no mail bombing)."""
    for _ in range(2):
        expect(client.post("/password-reset", json={"email": "ann@acme.example"}), 202)
    response = client.post("/password-reset", json={"email": "ann@acme.example"})
    assert "this email" in throttled(response)


def test_sign_up_with_a_taken_email_keeps_its_message_but_is_limited(client: TestClient) -> None:
    """A taken email still answers 409 "already has a Podium login", but probing it again and
    again is 429."""
    sign_up(client, "ann@acme.example")
    body = {"name": "Probe", "email": "ann@acme.example", "password": PASSWORD}
    assert (
        "already has a Podium login" in problem(client.post("/accounts", json=body), 409)["detail"]
    )
    assert "this email" in throttled(client.post("/accounts", json=body))


def test_sign_up_is_limited_per_address(client: TestClient) -> None:
    """Five sign-ups an hour from one address; the sixth is 429."""
    for n in range(5):
        sign_up(client, f"owner{n}@acme.example")
    body = {"name": "Sixth", "email": "owner5@acme.example", "password": PASSWORD}
    assert "your address" in throttled(client.post("/accounts", json=body))


def test_registration_is_limited_per_email(client: TestClient) -> None:
    """One email registers twice an hour at most; the third attempt is 429."""
    owner = trial_owner(client, "owner@acme.example")
    room = schedule(client, owner, registration_enabled=True)
    body = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
    url = f"/rooms/{room['room_id']}/registrations"
    for _ in range(2):
        assert client.post(url, json=body).status_code in (201, 409)
    assert "this email" in throttled(client.post(url, json=body))


def test_thirty_wrong_room_passwords_are_throttled(client: TestClient) -> None:
    """After five wrong passwords from one address the door answers 429, even to the right
    password; another address still gets in."""
    owner = trial_owner(client, "owner@acme.example")
    room = schedule(client, owner, access_type="password", password="open-sesame")
    answers = [
        join(client, room, f"guest{n}@example.com", password=f"guess-{n}") for n in range(30)
    ]
    assert [r.status_code for r in answers[:5]] == [403] * 5
    for response in answers[5:]:
        assert "your address" in throttled(response)
    throttled(join(client, room, "guest@example.com", password="open-sesame"))
    app = client.app
    with TestClient(app, client=("192.0.2.8", 4000)) as elsewhere:
        expect(join(elsewhere, room, "guest@example.com", password="open-sesame"), 200)


def test_refusals_from_many_addresses_close_the_room_for_a_while(client: TestClient) -> None:
    """A guess spread over many addresses is bounded per room: after 8 refusals in a minute
    the room's door answers 429 to everyone."""
    owner = trial_owner(client, "owner@acme.example")
    room = schedule(client, owner, access_type="password", password="open-sesame")
    for n in range(8):
        with TestClient(client.app, client=(f"192.0.2.{n + 10}", 4000)) as guesser:
            expect(join(guesser, room, "guest@example.com", password=f"guess-{n}"), 403)
    with TestClient(client.app, client=("192.0.2.99", 4000)) as latecomer:
        assert "this event" in throttled(
            join(latecomer, room, "guest@example.com", password="guess-x")
        )


def test_right_passwords_are_never_throttled(client: TestClient) -> None:
    """A join storm from one address with the right password is not slowed: only refusals
    count."""
    owner = trial_owner(client, "owner@acme.example")
    room = schedule(client, owner, access_type="password", password="open-sesame")
    for n in range(20):
        expect(join(client, room, f"guest{n}@example.com", password="open-sesame"), 200)
