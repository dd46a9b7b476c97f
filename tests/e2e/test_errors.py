"""Errors are application/problem+json with a readable detail, and each status means one thing:
401 who are you, 402 pay first, 403 not yours to do, 404 no such thing here, 409 not now,
422 malformed. A refused request changes nothing (a declined card leaves only its record).

401 lives in test_api_keys, 403 in test_members and test_authorization, 409 in test_billing
and test_subaccounts; the rest is here."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.payments import SandboxGateway
from tests.e2e.helpers import (
    CARD_DECLINED,
    PASSWORD,
    Caller,
    account,
    add_card,
    buy_packages,
    head,
    paying_owner,
    problem,
    transactions,
    trial_owner,
)

SUBACCOUNT = {"page_name": "P", "user_name": "U", "email": "s@example.com", "package_size": 25}
SIGN_UP = {"name": "Acme", "email": "new@example.com", "password": PASSWORD}

# (method, path, JSON body or raw text, a word the detail must contain)
MALFORMED: list[tuple[str, str, Any, str]] = [
    ("POST", "/account/funds", {"amount": "1000"}, "amount"),
    ("POST", "/account/funds", {"amount": 10.5}, "amount"),
    ("POST", "/account/funds", {"amount": -100}, "amount"),
    ("POST", "/account/funds", {"amount": 0}, "amount"),
    ("POST", "/account/funds", {"amount": True}, "amount"),
    ("POST", "/account/funds", {"amount": 1_000_001}, "amount"),
    ("POST", "/account/funds", {}, "amount"),
    ("POST", "/account/funds", {"amount": 100, "currency": "EUR"}, "currency"),
    ("POST", "/account/funds", "{not json", "json"),
    ("POST", "/account/funds", "[1000]", "body"),
    ("POST", "/account/upgrade", {"plan_id": "live-30"}, "unknown plan"),
    ("POST", "/account/subscription", {"plan_id": "gold"}, "unknown plan"),
    ("POST", "/account/upgrade", {"plan_id": 100}, "plan_id"),
    ("POST", "/account/upgrade", {"plan_id": "x" * 41}, "plan_id"),
    ("POST", "/account/downgrade", {"plan_id": "live-25", "cycle": "weekly"}, "cycle"),
    ("POST", "/account/add-ons", {"add_on": "hologram"}, "add_on"),
    ("POST", "/account/add-ons", {"add_on": "storage", "quantity": 0}, "quantity"),
    ("POST", "/account/add-ons", {"add_on": "storage", "quantity": 1.5}, "quantity"),
    ("POST", "/account/promo-codes", {"code": "FREEMONEY"}, "unknown promo code"),
    ("POST", "/account/subaccount-packages", {"package_size": 30}, "package size"),
    ("PUT", "/account/payment-method", {"kind": "card", "number": "1234"}, "card number"),
    ("PUT", "/account/payment-method", {"kind": "cheque"}, "kind"),
    ("POST", "/subaccounts", {**SUBACCOUNT, "email": "not-an-email"}, "email"),
    ("POST", "/subaccounts", {**SUBACCOUNT, "page_name": "p" * 201}, "page_name"),
    ("POST", "/subaccounts", {**SUBACCOUNT, "page_name": "   "}, "page_name"),
    ("POST", "/members", {"email": "someone@"}, "email"),
    ("POST", "/api-keys", {"label": "k" * 201}, "label"),
    ("GET", "/subaccounts/not-a-uuid", None, "subaccount_id"),
    ("GET", "/account/transactions?limit=0", None, "limit"),
    ("POST", "/accounts", {**SIGN_UP, "email": "a@b"}, "email"),
    ("POST", "/accounts", {**SIGN_UP, "email": "owner@podium.test"}, "email"),
    ("POST", "/accounts", {**SIGN_UP, "name": "n" * 201}, "name"),
    ("POST", "/accounts", {**SIGN_UP, "password": "short"}, "password"),
    ("POST", "/accounts", {**SIGN_UP, "password": "p" * 257}, "password"),
    ("POST", "/accounts", {**SIGN_UP, "nonprofit": "maybe"}, "nonprofit"),
    ("POST", "/accounts", {**SIGN_UP, "role": "admin"}, "role"),
    ("POST", "/password-reset/confirm", {"token": "t" * 201, "password": PASSWORD}, "token"),
]


def test_malformed_requests_are_422_naming_what_is_wrong(
    client: TestClient, podium: Podium, subtests: pytest.Subtests
) -> None:
    """Malformed requests are 422 problem+json naming the bad field, and append nothing."""
    owner = paying_owner(client, "owner@example.com")
    before = head(podium)
    for method, path, body, word in MALFORMED:
        with subtests.test(method=method, path=path, body=str(body)[:60]):
            if isinstance(body, str):
                response = client.request(
                    method,
                    path,
                    content=body,
                    headers={**owner.headers, "Content-Type": "application/json"},
                )
            else:
                response = client.request(method, path, json=body, headers=owner.headers)
            refused = problem(response, 422)
            assert word in refused["detail"].lower()
    assert head(podium) == before


def test_validation_problems_list_each_field(client: TestClient) -> None:
    """A 422 from validation carries an ``errors`` list with one entry per field."""
    body = {"name": "", "email": "nope", "password": "short"}
    refused = problem(client.post("/accounts", json=body), 422)
    assert refused["title"] == "Invalid request"
    assert {error["field"] for error in refused["errors"]} == {"name", "email", "password"}
    assert all(error["message"] for error in refused["errors"])


def test_a_body_that_is_not_json_is_named_as_the_body(client: TestClient) -> None:
    """Broken JSON is a 422 about the body and why, not about a character offset."""
    response = client.post(
        "/accounts", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    body = problem(response, 422)
    assert body["errors"][0]["field"] == "body"
    assert body["detail"].startswith("body: is not valid JSON")


def test_what_is_not_there_is_404_and_a_wrong_method_405(client: TestClient) -> None:
    """Unknown subaccounts, members, keys and paths are 404; a wrong method is 405."""
    owner = trial_owner(client, "owner@example.com")
    nobody = "00000000-0000-4000-8000-000000000000"
    problem(client.get(f"/subaccounts/{nobody}", headers=owner.headers), 404)
    problem(client.delete(f"/members/{nobody}", headers=owner.headers), 404)
    problem(client.delete(f"/api-keys/{nobody}", headers=owner.headers), 404)
    problem(client.get("/no-such-thing", headers=owner.headers), 404)
    problem(client.delete("/account", headers=owner.headers), 405)


def test_authentication_comes_before_validation(client: TestClient) -> None:
    """Without a key a malformed request is 401, not 422: nothing is said to strangers."""
    problem(client.post("/account/funds", json={"amount": "lots"}), 401)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/account/subscription", {"plan_id": "live-25"}),
        ("/account/funds", {"amount": 1_000}),
    ],
)
def test_buying_without_a_card_is_402(
    client: TestClient, podium: Podium, path: str, body: dict[str, object]
) -> None:
    """Without a payment method on file, anything that charges is 402 and nothing changes."""
    owner = trial_owner(client, "owner@example.com")
    before = head(podium)
    refused = problem(client.post(path, json=body, headers=owner.headers), 402)
    assert "add a card" in refused["detail"]
    assert head(podium) == before
    assert account(client, owner)["status"] == "trial"


def appended_topics(podium: Podium, after: int) -> list[str]:
    return [n.topic for n in podium.store.recorder.select_notifications(after + 1, 100)]


def declined_only(client: TestClient, podium: Podium, owner: Caller, after: int) -> None:
    """Since ``after``, the log holds one ledger entry: the declined payment, moving nothing."""
    assert appended_topics(podium, after) == ["domain.ledger:Ledger.EntryRecorded"]
    newest = transactions(client, owner)[0]
    assert (newest["kind"], newest["amount"]) == ("payment_declined", 0)
    assert "card declined" in newest["description"]


def test_a_declined_card_on_subscribing_records_only_the_decline(
    client: TestClient, podium: Podium, gateway: SandboxGateway
) -> None:
    """A declined subscription is 402, keeps the trial, and records only the decline."""
    owner = trial_owner(client, "owner@example.com")
    add_card(client, owner, CARD_DECLINED)
    before = head(podium)
    response = client.post(
        "/account/subscription", json={"plan_id": "live-25"}, headers=owner.headers
    )
    refused = problem(response, 402)
    assert "declined" in refused["detail"]
    declined_only(client, podium, owner, before)
    assert len(transactions(client, owner)) == 1
    shown = account(client, owner)
    assert (shown["status"], shown["plan_id"], shown["balance"]) == ("trial", None, 0)
    assert gateway.charged == []


def test_a_declined_card_on_adding_funds_records_only_the_decline(
    client: TestClient, podium: Podium
) -> None:
    """A declined top-up is 402 and the balance does not move."""
    owner = trial_owner(client, "owner@example.com")
    add_card(client, owner, CARD_DECLINED)
    before = head(podium)
    problem(client.post("/account/funds", json={"amount": 5_000}, headers=owner.headers), 402)
    declined_only(client, podium, owner, before)
    assert account(client, owner)["balance"] == 0


def test_a_declined_card_changes_no_plan_add_on_or_package(
    client: TestClient, podium: Podium, subtests: pytest.Subtests
) -> None:
    """Upgrades, add-ons and packages paid by a declining card are 402 and do not happen."""
    owner = paying_owner(client, "owner@example.com", "live-100")
    buy_packages(client, owner, 25)
    add_card(client, owner, CARD_DECLINED)
    shown = account(client, owner)
    purchases = [
        ("/account/upgrade", {"plan_id": "live-200"}),
        ("/account/add-ons", {"add_on": "extra_seats"}),
        ("/account/subaccount-packages", {"package_size": 50}),
    ]
    for path, body in purchases:
        with subtests.test(path=path):
            before = head(podium)
            problem(client.post(path, json=body, headers=owner.headers), 402)
            declined_only(client, podium, owner, before)
            assert account(client, owner) == shown
