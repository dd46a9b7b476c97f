"""Idempotency-Key: a retried POST gets the first answer and changes nothing; the same key on
another request is refused."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from podium.bootstrap import Podium
from podium.payments import SandboxGateway
from tests.e2e.helpers import (
    CARD_DECLINED,
    CARD_OK,
    PASSWORD,
    Caller,
    Json,
    account,
    add_card,
    expect,
    head,
    paying_owner,
    problem,
    transactions,
    trial_owner,
)

SUB = {"page_name": "P", "user_name": "U", "email": "sub@example.com", "package_size": 25}


@dataclass(frozen=True)
class Case:
    """One request that creates something or moves money, and a different one for the key."""

    name: str
    method: str
    path: str
    body: Json | None
    other_body: Json | None  # None: the request has no body to vary
    status: int


# Sent in this order by one paying owner (Live 25, a card on file): each case leaves the
# account in the state the next one needs (Live 100 for the downgrade, a package for the
# subaccount, the subaccount for its own requests), and the cancellation comes last.
PAYING_CASES = [
    Case(
        "upgrade", "POST", "/account/upgrade", {"plan_id": "live-100"}, {"plan_id": "live-200"}, 200
    ),
    Case(
        "downgrade",
        "POST",
        "/account/downgrade",
        {"plan_id": "live-25"},
        {"plan_id": "live-50"},
        200,
    ),
    Case(
        "promo-code",
        "POST",
        "/account/promo-codes",
        {"code": "WELCOME10"},
        {"code": "WEBINAR20"},
        200,
    ),
    Case("funds", "POST", "/account/funds", {"amount": 1_000}, {"amount": 2_000}, 200),
    Case(
        "add-on", "POST", "/account/add-ons", {"add_on": "camera_feed"}, {"add_on": "storage"}, 200
    ),
    Case(
        "packages",
        "POST",
        "/account/subaccount-packages",
        {"package_size": 25},
        {"package_size": 50},
        200,
    ),
    Case("member", "POST", "/members", {"email": "a@example.com"}, {"email": "b@example.com"}, 201),
    Case("api-key", "POST", "/api-keys", {"label": "one"}, {"label": "two"}, 201),
    Case("subaccount", "POST", "/subaccounts", SUB, {**SUB, "email": "other@example.com"}, 201),
    Case("subaccount-session", "POST", "/subaccounts/{sub}/session", None, None, 201),
    Case(
        "reassignment",
        "POST",
        "/subaccounts/{sub}/reassignment",
        {**SUB, "email": "next@example.com"},
        {**SUB, "email": "other@example.com"},
        201,
    ),
    Case("subaccount-cancellation", "POST", "/subaccounts/{sub}/cancellation", None, None, 200),
    Case("cancellation", "POST", "/account/cancellation", None, None, 200),
]


def check_retry(
    client: TestClient,
    podium: Podium,
    gateway: SandboxGateway,
    case: Case,
    headers: dict[str, str],
    sub: str = "",
) -> Response:
    """Send ``case`` twice under one key, then with another body under the same key."""
    path = case.path.format(sub=sub)
    keyed = {**headers, "Idempotency-Key": f"key-{case.name}"}
    first: Response = client.request(case.method, path, json=case.body, headers=keyed)
    assert first.status_code == case.status, first.text
    assert "idempotent-replayed" not in first.headers
    log, payments = head(podium), list(gateway.charged)

    retry = client.request(case.method, path, json=case.body, headers=keyed)
    assert retry.status_code == case.status
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json() == first.json()
    assert head(podium) == log, "a retry appended events"
    assert gateway.charged == payments, "a retry charged the card"

    if case.other_body is not None:
        reused = problem(
            client.request(case.method, path, json=case.other_body, headers=keyed), 422
        )
        assert "Idempotency-Key" in reused["detail"]
        assert head(podium) == log
    return first


def test_a_retry_gets_the_first_answer_and_changes_nothing(
    client: TestClient, podium: Podium, gateway: SandboxGateway, subtests: pytest.Subtests
) -> None:
    """Each paid POST retried under its key replays the first answer; another body is 422."""
    owner = paying_owner(client, "owner@example.com")
    sub = ""
    for case in PAYING_CASES:
        with subtests.test(case.name):
            first = check_retry(client, podium, gateway, case, owner.headers, sub)
            if case.name in ("subaccount", "reassignment"):
                sub = str(first.json()["subaccount_id"])


CARD = {"kind": "card", "number": CARD_OK}
TRIAL_CASES = [
    Case(
        "payment-method",
        "PUT",
        "/account/payment-method",
        CARD,
        {**CARD, "number": "5555555555554444"},
        200,
    ),
    Case(
        "subscribe",
        "POST",
        "/account/subscription",
        {"plan_id": "live-25"},
        {"plan_id": "live-50"},
        200,
    ),
]


def test_a_retry_before_paying_gets_the_first_answer_too(
    client: TestClient, podium: Podium, gateway: SandboxGateway, subtests: pytest.Subtests
) -> None:
    """Sign-up, first card, subscribing and a declined subscription replay the same way."""
    sign_up = {"name": "A", "email": "new@example.com", "password": PASSWORD}
    with subtests.test("sign-up"):
        case = Case("sign-up", "POST", "/accounts", sign_up, {**sign_up, "name": "B"}, 201)
        check_retry(client, podium, gateway, case, {})
    owner = trial_owner(client, "owner@example.com")
    for case in TRIAL_CASES:
        with subtests.test(case.name):
            check_retry(client, podium, gateway, case, owner.headers)
    declined = trial_owner(client, "declined@example.com")
    add_card(client, declined, CARD_DECLINED)
    with subtests.test("subscribe-declined"):
        case = Case("declined", "POST", "/account/subscription", {"plan_id": "live-25"}, None, 402)
        check_retry(client, podium, gateway, case, declined.headers)


def test_a_retried_api_key_request_returns_the_same_working_key(client: TestClient) -> None:
    """POST /api-keys retried under its key shows the same key, which works; a new key, another."""
    owner = trial_owner(client, "owner@example.com")
    headers = {**owner.headers, "Idempotency-Key": "issue-1"}
    first = expect(client.post("/api-keys", json={"label": "crm"}, headers=headers), 201)
    again = expect(client.post("/api-keys", json={"label": "crm"}, headers=headers), 201)
    assert again["api_key"] == first["api_key"]
    assert account(client, Caller(owner.account_id, owner.email, first["api_key"]))
    headers["Idempotency-Key"] = "issue-2"
    other = expect(client.post("/api-keys", json={"label": "crm"}, headers=headers), 201)
    assert other["api_key"] != first["api_key"]


def test_without_a_key_a_retry_runs_twice(client: TestClient) -> None:
    """No Idempotency-Key, no protection: two top-ups are two top-ups."""
    owner = paying_owner(client, "owner@example.com")
    for _ in range(2):
        expect(client.post("/account/funds", json={"amount": 1_000}, headers=owner.headers), 200)
    assert account(client, owner)["balance"] == 2_000


def test_the_same_key_on_another_endpoint_is_refused(client: TestClient, podium: Podium) -> None:
    """A key already used for one request cannot be used for a different one (422)."""
    owner = paying_owner(client, "owner@example.com")
    headers = {**owner.headers, "Idempotency-Key": "shared"}
    expect(client.post("/account/funds", json={"amount": 1_000}, headers=headers), 200)
    log = head(podium)
    problem(client.post("/account/add-ons", json={"add_on": "storage"}, headers=headers), 422)
    assert head(podium) == log
    assert account(client, owner)["add_ons"] == {}


def test_keys_belong_to_their_caller(client: TestClient) -> None:
    """Two accounts using the same key string do not see each other's answers."""
    mine = paying_owner(client, "mine@example.com")
    theirs = paying_owner(client, "theirs@example.com")
    for caller, amount in ((mine, 1_000), (theirs, 2_500)):
        response = client.post(
            "/account/funds",
            json={"amount": amount},
            headers={**caller.headers, "Idempotency-Key": "same-string"},
        )
        assert "idempotent-replayed" not in response.headers
        assert expect(response, 200)["account_id"] == caller.account_id
    assert account(client, mine)["balance"] == 1_000
    assert account(client, theirs)["balance"] == 2_500


def test_a_replayed_decline_does_not_try_the_card_again(client: TestClient, podium: Podium) -> None:
    """A 402 is replayed as recorded: one declined attempt in the ledger, not two."""
    owner = trial_owner(client, "owner@example.com")
    add_card(client, owner, CARD_DECLINED)
    headers = {**owner.headers, "Idempotency-Key": "pay-1"}
    for _ in range(2):
        problem(client.post("/account/funds", json={"amount": 500}, headers=headers), 402)
    assert [e["kind"] for e in transactions(client, owner)] == ["payment_declined"]


@pytest.mark.parametrize("key", ["", "k" * 256])
def test_an_empty_or_oversize_key_is_422(client: TestClient, podium: Podium, key: str) -> None:
    """An Idempotency-Key must have 1 to 255 characters; the 422 names the header."""
    owner = paying_owner(client, "owner@example.com")
    log = head(podium)
    response = client.post(
        "/account/funds", json={"amount": 1_000}, headers={**owner.headers, "Idempotency-Key": key}
    )
    assert "idempotency-key" in problem(response, 422)["detail"].lower()
    assert head(podium) == log


def test_a_retry_with_its_json_keys_reordered_is_the_same_request(
    client: TestClient, podium: Podium
) -> None:
    """The fingerprint compares JSON by value: reordered keys replay instead of a 422."""
    owner = trial_owner(client, "order@example.com")
    headers = owner.headers | {"Idempotency-Key": "group-1", "Content-Type": "application/json"}
    first = client.post(
        "/contact-groups", content=b'{"name": "VIP", "emails": ["a@example.com"]}', headers=headers
    )
    again = client.post(
        "/contact-groups", content=b'{"emails": ["a@example.com"], "name": "VIP"}', headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
