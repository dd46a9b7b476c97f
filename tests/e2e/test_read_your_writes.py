"""Read-your-writes: as soon as a POST has answered, GET /account shows what it did."""

from __future__ import annotations

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.helpers import (
    CARD_OK,
    PASSWORD,
    Caller,
    Json,
    account,
    activate,
    expect,
    log_in,
    paying_owner,
    transactions,
)


def test_every_write_is_visible_in_the_next_read(client: TestClient, podium: Podium) -> None:
    """After each command's answer, the very next GET /account (and the history) reflects it."""
    created = expect(
        client.post(
            "/accounts", json={"name": "Acme", "email": "owner@example.com", "password": PASSWORD}
        ),
        201,
    )
    owner = Caller(
        str(created["account_id"]), "owner@example.com", log_in(client, "owner@example.com")
    )
    assert account(client, owner)["status"] == "trial"

    def then(method: str, path: str, body: Json | None = None, status: int = 200) -> Json:
        expect(client.request(method, path, json=body, headers=owner.headers), status)
        return account(client, owner)

    shown = then("PUT", "/account/payment-method", {"kind": "card", "number": CARD_OK})
    assert shown["payment_method"] == "card ending 4242"
    shown = then("POST", "/account/subscription", {"plan_id": "live-100"})
    assert (shown["status"], shown["plan_id"]) == ("active", "live-100")
    assert [e["kind"] for e in transactions(client, owner)] == ["card_payment", "plan"]
    shown = then("POST", "/account/funds", {"amount": 2_500})
    assert shown["balance"] == 2_500
    shown = then("POST", "/account/add-ons", {"add_on": "camera_feed", "quantity": 2})
    assert shown["limits"]["camera_feeds"] == 6
    shown = then("POST", "/account/upgrade", {"plan_id": "live-500"})
    assert shown["limits"]["max_attendees"] == 500
    shown = then("POST", "/account/subaccount-packages", {"package_size": 50})
    assert shown["subaccount_packages"] == [{"package_size": 50, "bought": 1, "free": 1}]
    shown = then(
        "POST",
        "/subaccounts",
        {"page_name": "P", "user_name": "U", "email": "sub@example.com", "package_size": 50},
        201,
    )
    assert [s["status"] for s in shown["subaccounts"]] == ["pending_activation"]
    activate(client, podium, "sub@example.com")
    assert [s["status"] for s in account(client, owner)["subaccounts"]] == ["active"]
    shown = then("POST", "/members", {"email": "member@example.com"}, 201)
    assert [m["email"] for m in shown["members"]] == ["owner@example.com", "member@example.com"]
    shown = then("POST", "/account/promo-codes", {"code": "WELCOME10"})
    assert shown["promo_codes"] == {"WELCOME10": 10}
    shown = then("POST", "/account/downgrade", {"plan_id": "live-200"})
    assert (shown["scheduled_plan_id"], shown["promo_codes"]) == ("live-200", {})
    shown = then("POST", "/account/cancellation")
    assert shown["status"] == "cancelled"
    assert shown["scheduled_plan_id"] is None


def test_cancelling_shows_no_downgrade_still_scheduled(client: TestClient) -> None:
    """A cancellation drops a scheduled downgrade: plan and cycle both read as unscheduled."""
    owner = paying_owner(client, "owner@example.com", "live-100")
    body = {"plan_id": "live-25", "cycle": "monthly"}
    expect(client.post("/account/downgrade", json=body, headers=owner.headers), 200)
    expect(client.post("/account/cancellation", headers=owner.headers), 200)
    shown = account(client, owner)
    assert (shown["scheduled_plan_id"], shown["scheduled_cycle"]) == (None, None)
