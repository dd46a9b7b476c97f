"""Read-your-writes: as soon as a POST has answered, GET /account shows what it did."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from api.app import create_app
from api.consistency import STALE_HEADER
from podium.bootstrap import Podium, bootstrap
from podium.clock import ManualClock
from podium.passwords import FastTestHasher
from podium.settings import Settings
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
    trial_owner,
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


def test_with_a_projector_thread_an_answer_waits_for_it_not_for_its_poll(
    settings: Settings, clock: ManualClock
) -> None:
    """Projection off the request path (a projector thread polling once an hour): the write
    wakes it, and the answer comes once the read models show the write, not stale."""
    settings = settings.model_copy(
        update={"project_inline": False, "read_your_writes_timeout": 30.0}
    )
    podium = bootstrap(settings, clock=clock, hasher=FastTestHasher())
    stop = threading.Event()
    thread = threading.Thread(target=podium.projector.run_forever, args=(stop, 3600.0))
    thread.start()
    try:
        with TestClient(create_app(podium)) as client:
            owner = trial_owner(client, "owner@example.com")
            added = client.post(
                "/contacts", json={"email": "ann@example.com"}, headers=owner.headers
            )
            assert added.status_code == 201, added.text
            assert STALE_HEADER not in added.headers
            listed = expect(client.get("/contacts", headers=owner.headers), 200)
            assert "ann@example.com" in str(listed)
    finally:
        stop.set()
        podium.projector.wake()
        thread.join(10)
        podium.close()
