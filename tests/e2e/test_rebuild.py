"""Read models are derived: rebuilt from the log, they answer exactly as the live ones did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import (
    CARD_DECLINED,
    CARD_OK,
    Caller,
    act_in_subaccount,
    add_card,
    assign_subaccount,
    buy_packages,
    expect,
    member,
    paying_owner,
    renew_at,
    subaccount_login,
)

READS = ("/account", "/account/transactions", "/members", "/subaccounts")


def answers(client: TestClient, owner: Caller, others: list[Caller]) -> dict[str, object]:
    """What every read endpoint says, to the owner and to the other logins."""
    seen: dict[str, object] = {}
    for path in READS:
        seen[f"owner {path}"] = expect(client.get(path, headers=owner.headers), 200)
    for i, other in enumerate(others):
        seen[f"{i} /account"] = expect(client.get("/account", headers=other.headers), 200)
    return seen


def test_a_rebuild_answers_exactly_as_the_live_read_models(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """After a month of changes, rebuilt read models answer every GET as the live ones did."""
    owner = paying_owner(client, "owner@example.com", "live-100")
    colleague = member(client, podium, owner, "member@example.com")
    expect(client.post("/account/funds", json={"amount": 4_000}, headers=owner.headers), 200)
    clock.advance(timedelta(days=8))
    buy_packages(client, owner, 25, quantity=2)
    buy_packages(client, owner, 50)
    kept = assign_subaccount(client, owner, "kept@example.com", 25)
    sub = subaccount_login(client, podium, kept, "kept@example.com")
    inside = act_in_subaccount(client, owner, kept)
    expect(
        client.put(
            f"/subaccounts/{kept}/package", json={"package_size": 50}, headers=owner.headers
        ),
        200,
    )
    gone = assign_subaccount(client, owner, "gone@example.com", 25)
    expect(client.post(f"/subaccounts/{gone}/cancellation", headers=owner.headers), 200)
    deleted = assign_subaccount(client, owner, "deleted@example.com", 25)
    expect(client.delete(f"/subaccounts/{deleted}", headers=owner.headers), 200)
    for add_on in ("camera_feed", "storage"):
        expect(client.post("/account/add-ons", json={"add_on": add_on}, headers=owner.headers), 200)
    expect(
        client.post("/account/upgrade", json={"plan_id": "live-500"}, headers=owner.headers), 200
    )
    expect(
        client.post("/account/promo-codes", json={"code": "WEBINAR20"}, headers=owner.headers), 200
    )
    add_card(client, owner, CARD_DECLINED)
    body = {"add_on": "extra_seats"}
    assert client.post("/account/add-ons", json=body, headers=owner.headers).status_code == 402
    add_card(client, owner, CARD_OK)
    renew_at(podium, clock, owner.account_id, datetime(2026, 11, 15, 9, 0, tzinfo=UTC))
    expect(
        client.post("/account/downgrade", json={"plan_id": "live-200"}, headers=owner.headers), 200
    )

    live = answers(client, owner, [colleague, sub, inside])
    podium.projector.rebuild()
    assert answers(client, owner, [colleague, sub, inside]) == live
