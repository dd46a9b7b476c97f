"""The subaccount lifecycle: assign, activate, log into, resize, delete, cancel, reassign."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import (
    PASSWORD,
    Caller,
    Json,
    account,
    act_in_subaccount,
    activate,
    assign_subaccount,
    buy_packages,
    expect,
    head,
    link_token,
    log_in,
    paying_owner,
    problem,
    renew_at,
    subaccount_login,
    transactions,
)

PERIOD_END = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)
SUB_EMAIL = "sam@example.com"


def parent_with_package(client: TestClient, *sizes: int) -> Caller:
    """A paying owner (Live 25) holding one free package of each size."""
    owner = paying_owner(client, "owner@example.com")
    for size in sizes:
        buy_packages(client, owner, size)
    return owner


def read_sub(client: TestClient, owner: Caller, subaccount_id: str) -> Json:
    return expect(client.get(f"/subaccounts/{subaccount_id}", headers=owner.headers), 200)


def packages(client: TestClient, owner: Caller) -> list[Json]:
    found: list[Json] = account(client, owner)["subaccount_packages"]
    return found


def test_an_assigned_subaccount_waits_for_activation_by_email(
    client: TestClient, podium: Podium
) -> None:
    """An assigned subaccount takes a package and waits, unusable, for its emailed activation."""
    owner = parent_with_package(client, 25)
    response = client.post(
        "/subaccounts",
        json={
            "page_name": "Sales team",
            "user_name": "Sam Seller",
            "email": SUB_EMAIL,
            "package_size": 25,
        },
        headers=owner.headers,
    )
    body = expect(response, 201)
    assert body["status"] == "pending_activation"
    assert read_sub(client, owner, body["subaccount_id"])["status"] == "pending_activation"
    assert packages(client, owner) == [{"package_size": 25, "bought": 1, "free": 0}]
    listed = account(client, owner)["subaccounts"]
    assert [s["subaccount_id"] for s in listed] == [body["subaccount_id"]]
    mails = podium.views.outbox.to(SUB_EMAIL)
    assert [(m["purpose"], m["status"]) for m in mails] == [("activation", "pending")]
    assert "Sales team" in mails[0]["subject"]
    assert link_token(podium, SUB_EMAIL, "activation")
    problem(client.post("/sessions", json={"email": SUB_EMAIL, "password": PASSWORD}), 401)


def test_activation_sets_the_password_and_activates_the_subaccount(
    client: TestClient, podium: Podium
) -> None:
    """Activating with the emailed token sets the password and makes the subaccount active."""
    owner = parent_with_package(client, 50)
    sub_id = assign_subaccount(client, owner, SUB_EMAIL, 50)
    activated = activate(client, podium, SUB_EMAIL)
    assert activated["email"] == SUB_EMAIL
    assert read_sub(client, owner, sub_id)["status"] == "active"
    own_view = expect(client.get("/account", headers={"X-Api-Key": log_in(client, SUB_EMAIL)}), 200)
    assert own_view["subaccount_id"] == sub_id
    assert own_view["status"] == "active"
    assert own_view["limits"]["max_attendees"] == 50
    assert own_view["role"] == "subaccount"


def test_an_activation_link_works_once(client: TestClient, podium: Podium) -> None:
    """The same activation token a second time is refused (409) and the password stays."""
    owner = parent_with_package(client, 25)
    assign_subaccount(client, owner, SUB_EMAIL)
    token = link_token(podium, SUB_EMAIL, "activation")
    expect(client.post("/activation", json={"token": token, "password": PASSWORD}), 200)
    again = client.post("/activation", json={"token": token, "password": "hijacked password"})
    assert "invalid" in problem(again, 409)["detail"]
    log_in(client, SUB_EMAIL)


def test_the_parent_can_log_into_its_subaccount(client: TestClient, podium: Podium) -> None:
    """The parent's owner gets a key acting inside the subaccount, seeing only the subaccount."""
    owner = parent_with_package(client, 25)
    sub_id = assign_subaccount(client, owner, SUB_EMAIL)
    inside = act_in_subaccount(client, owner, sub_id)
    shown = account(client, inside)
    assert shown["subaccount_id"] == sub_id
    assert shown["role"] == "subaccount"
    assert "subaccounts" not in shown
    problem(client.get("/account/transactions", headers=inside.headers), 403)
    problem(client.get("/subaccounts", headers=inside.headers), 403)


def test_a_subaccount_can_move_to_a_free_package_of_another_size(
    client: TestClient, podium: Podium
) -> None:
    """Resizing moves a subaccount to a free package of another size; its limits follow."""
    owner = parent_with_package(client, 25, 100)
    sub = subaccount_login(
        client, podium, assign_subaccount(client, owner, SUB_EMAIL, 25), SUB_EMAIL
    )
    response = client.put(
        f"/subaccounts/{sub.account_id}/package", json={"package_size": 100}, headers=owner.headers
    )
    assert expect(response, 200)["package_size"] == 100
    assert read_sub(client, owner, sub.account_id)["limits"]["max_attendees"] == 100
    assert account(client, sub)["limits"]["max_attendees"] == 100
    assert packages(client, owner) == [
        {"package_size": 25, "bought": 1, "free": 1},
        {"package_size": 100, "bought": 1, "free": 0},
    ]


def test_resizing_needs_a_free_package_of_that_size(client: TestClient) -> None:
    """Without a free package of the size asked for, a resize is a 409; an unknown size 422."""
    owner = parent_with_package(client, 25)
    sub_id = assign_subaccount(client, owner, SUB_EMAIL)
    path = f"/subaccounts/{sub_id}/package"
    refused = problem(client.put(path, json={"package_size": 50}, headers=owner.headers), 409)
    assert "no free subaccount package of 50" in refused["detail"]
    problem(client.put(path, json={"package_size": 30}, headers=owner.headers), 422)
    assert read_sub(client, owner, sub_id)["package_size"] == 25


def test_a_deleted_subaccount_is_gone_at_once(client: TestClient, podium: Podium) -> None:
    """A deleted subaccount is gone at once, with every way in; its package is free again."""
    owner = parent_with_package(client, 25)
    sub = subaccount_login(client, podium, assign_subaccount(client, owner, SUB_EMAIL), SUB_EMAIL)
    inside = act_in_subaccount(client, owner, sub.account_id)
    expect(client.delete(f"/subaccounts/{sub.account_id}", headers=owner.headers), 200)

    problem(client.get(f"/subaccounts/{sub.account_id}", headers=owner.headers), 404)
    assert account(client, owner)["subaccounts"] == []
    assert packages(client, owner) == [{"package_size": 25, "bought": 1, "free": 1}]
    problem(client.post("/sessions", json={"email": SUB_EMAIL, "password": PASSWORD}), 401)
    problem(client.get("/account", headers=sub.headers), 401)
    problem(client.get("/account", headers=inside.headers), 401)
    problem(client.delete(f"/subaccounts/{sub.account_id}", headers=owner.headers), 404)


def test_a_cancelled_subaccount_lasts_to_the_period_end_then_goes_without_a_charge(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A cancelled subaccount lasts to the period end, then goes with no charge for it."""
    owner = parent_with_package(client, 25)
    sub = subaccount_login(client, podium, assign_subaccount(client, owner, SUB_EMAIL), SUB_EMAIL)
    body = expect(
        client.post(f"/subaccounts/{sub.account_id}/cancellation", headers=owner.headers), 200
    )
    assert (body["status"], body["ends_at"]) == ("cancelled", PERIOD_END.isoformat())
    assert account(client, sub)["status"] == "cancelled"  # still in, until the period ends
    log_in(client, SUB_EMAIL)
    problem(client.post(f"/subaccounts/{sub.account_id}/cancellation", headers=owner.headers), 409)

    renewed = renew_at(podium, clock, owner.account_id, PERIOD_END)
    assert renewed["charged"] == 3_000  # the plan alone
    newest = transactions(client, owner)[:2]
    assert [(e["kind"], e["amount"]) for e in newest] == [("card_payment", 3_000), ("plan", -3_000)]
    problem(client.get(f"/subaccounts/{sub.account_id}", headers=owner.headers), 404)
    problem(client.get("/account", headers=sub.headers), 401)
    problem(client.post("/sessions", json={"email": SUB_EMAIL, "password": PASSWORD}), 401)
    assert packages(client, owner) == []


def test_a_kept_subaccount_is_charged_monthly_at_renewal(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A subaccount not cancelled stays through the renewal, its package charged again."""
    owner = parent_with_package(client, 25)
    sub_id = assign_subaccount(client, owner, SUB_EMAIL)
    renewed = renew_at(podium, clock, owner.account_id, PERIOD_END)
    assert renewed["charged"] == 3_000 + 2_000
    assert read_sub(client, owner, sub_id)["status"] == "pending_activation"


def test_reassigning_gives_the_package_to_someone_else(client: TestClient, podium: Podium) -> None:
    """Reassigning deletes the subaccount and gives its package to a newly invited person."""
    owner = parent_with_package(client, 25)
    old = subaccount_login(client, podium, assign_subaccount(client, owner, SUB_EMAIL), SUB_EMAIL)
    response = client.post(
        f"/subaccounts/{old.account_id}/reassignment",
        json={
            "page_name": "Support",
            "user_name": "Robin Helper",
            "email": "robin@example.com",
            "package_size": 25,
        },
        headers=owner.headers,
    )
    new = expect(response, 201)
    assert new["subaccount_id"] != old.account_id
    assert (new["status"], new["page_name"]) == ("pending_activation", "Support")
    problem(client.get(f"/subaccounts/{old.account_id}", headers=owner.headers), 404)
    problem(client.get("/account", headers=old.headers), 401)
    assert [s["subaccount_id"] for s in account(client, owner)["subaccounts"]] == [
        new["subaccount_id"]
    ]
    assert packages(client, owner) == [{"package_size": 25, "bought": 1, "free": 0}]
    activate(client, podium, "robin@example.com")
    assert read_sub(client, owner, new["subaccount_id"])["status"] == "active"


def test_assigning_needs_a_free_package(client: TestClient, podium: Podium) -> None:
    """Without a free package of the size, assigning is a 409 and nothing is created."""
    owner = parent_with_package(client, 25)
    assign_subaccount(client, owner, SUB_EMAIL)
    before = head(podium)
    body = {"page_name": "P", "user_name": "U", "email": "two@example.com", "package_size": 25}
    refused = problem(client.post("/subaccounts", json=body, headers=owner.headers), 409)
    assert "buy one first" in refused["detail"]
    assert head(podium) == before
    assert podium.views.outbox.to("two@example.com") == []


def test_another_accounts_subaccount_is_not_found(client: TestClient, podium: Podium) -> None:
    """Every subaccount request naming another parent's subaccount is a 404."""
    owner = parent_with_package(client, 25, 50)
    sub_id = assign_subaccount(client, owner, SUB_EMAIL)
    other = paying_owner(client, "other@example.com")
    before = head(podium)
    problem(client.get(f"/subaccounts/{sub_id}", headers=other.headers), 404)
    problem(
        client.put(
            f"/subaccounts/{sub_id}/package", json={"package_size": 50}, headers=other.headers
        ),
        404,
    )
    problem(client.post(f"/subaccounts/{sub_id}/session", headers=other.headers), 404)
    problem(client.post(f"/subaccounts/{sub_id}/cancellation", headers=other.headers), 404)
    problem(client.delete(f"/subaccounts/{sub_id}", headers=other.headers), 404)
    assert head(podium) == before
    assert read_sub(client, owner, sub_id)["status"] == "pending_activation"


def test_a_closed_parent_takes_its_subaccounts_with_it(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """When a cancelled parent closes at its period end, its subaccounts are deleted too."""
    owner = parent_with_package(client, 25)
    sub = subaccount_login(client, podium, assign_subaccount(client, owner, SUB_EMAIL), SUB_EMAIL)
    expect(client.post("/account/cancellation", headers=owner.headers), 200)
    assert account(client, sub)["status"] == "active"  # to the end of the paid period
    renew_at(podium, clock, owner.account_id, PERIOD_END)
    assert account(client, owner)["status"] == "closed"
    problem(client.get("/account", headers=sub.headers), 401)
    problem(client.get(f"/subaccounts/{sub.account_id}", headers=owner.headers), 404)


def test_a_subaccount_owner_can_reset_its_password(client: TestClient, podium: Podium) -> None:
    """The subaccount's login resets its password through the emailed link like anyone else."""
    owner = parent_with_package(client, 25)
    subaccount_login(client, podium, assign_subaccount(client, owner, SUB_EMAIL), SUB_EMAIL)
    expect(client.post("/password-reset", json={"email": SUB_EMAIL}), 202)
    token = link_token(podium, SUB_EMAIL, "password_reset")
    body = {"token": token, "password": "the new sub password"}
    expect(client.post("/password-reset/confirm", json=body), 200)
    log_in(client, SUB_EMAIL, "the new sub password")
    problem(client.post("/sessions", json={"email": SUB_EMAIL, "password": PASSWORD}), 401)


def test_a_subaccount_whose_activation_link_expired_activates_through_a_reset_link(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """After the 7-day activation link has expired, a password-reset link activates it."""
    owner = parent_with_package(client, 25)
    sub_id = assign_subaccount(client, owner, SUB_EMAIL)
    clock.advance(timedelta(days=7, minutes=1))
    stale = link_token(podium, SUB_EMAIL, "activation")
    problem(client.post("/activation", json={"token": stale, "password": PASSWORD}), 409)
    expect(client.post("/password-reset", json={"email": SUB_EMAIL}), 202)
    fresh = link_token(podium, SUB_EMAIL, "password_reset")
    expect(client.post("/password-reset/confirm", json={"token": fresh, "password": PASSWORD}), 200)
    assert read_sub(client, owner, sub_id)["status"] == "active"
    log_in(client, SUB_EMAIL)
