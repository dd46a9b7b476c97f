"""Multiuser: members share the account's data but move no money and manage nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import (
    CARD_OK,
    PASSWORD,
    Caller,
    Json,
    account,
    activate,
    buy_packages,
    expect,
    head,
    link_token,
    log_in,
    member,
    paying_owner,
    problem,
)

MEMBER = "member@example.com"

# Every request that moves money or manages the account, with a body the owner could send.
OWNER_ONLY: list[tuple[str, str, Json | None]] = [
    ("PUT", "/account/payment-method", {"kind": "card", "number": CARD_OK}),
    ("POST", "/account/subscription", {"plan_id": "live-50"}),
    ("POST", "/account/upgrade", {"plan_id": "live-100"}),
    ("POST", "/account/downgrade", {"plan_id": "live-25", "cycle": "monthly"}),
    ("POST", "/account/promo-codes", {"code": "WELCOME10"}),
    ("POST", "/account/cancellation", None),
    ("POST", "/account/funds", {"amount": 1_000}),
    ("POST", "/account/add-ons", {"add_on": "camera_feed"}),
    ("POST", "/account/subaccount-packages", {"package_size": 25}),
    (
        "POST",
        "/subaccounts",
        {"page_name": "P", "user_name": "U", "email": "s@example.com", "package_size": 25},
    ),
    ("GET", "/subaccounts", None),
    ("POST", "/members", {"email": "another@example.com"}),
    ("GET", "/account/transactions", None),
]


def test_an_invited_member_activates_by_email_and_logs_in(
    client: TestClient, podium: Podium
) -> None:
    """Inviting adds a login without a password; the emailed link sets one, then it logs in."""
    owner = paying_owner(client, "owner@example.com")
    invited = expect(client.post("/members", json={"email": MEMBER}, headers=owner.headers), 201)
    assert (invited["email"], invited["role"]) == (MEMBER, "member")
    listed = expect(client.get("/members", headers=owner.headers), 200)["members"]
    assert [(m["email"], m["role"], m["status"]) for m in listed] == [
        ("owner@example.com", "owner", "active"),
        (MEMBER, "member", "invited"),
    ]
    problem(client.post("/sessions", json={"email": MEMBER, "password": PASSWORD}), 401)
    activate(client, podium, MEMBER)
    key = log_in(client, MEMBER)
    shown = expect(client.get("/account", headers={"X-Api-Key": key}), 200)
    assert (shown["account_id"], shown["role"]) == (owner.account_id, "member")
    assert [m["status"] for m in account(client, owner)["members"]] == ["active", "active"]


def test_a_member_reads_the_account_but_not_its_billing(client: TestClient, podium: Podium) -> None:
    """A member sees the owner's account but its balance and payment method, and is refused
    the transaction history: billing is the owner's (docs/roles.md)."""
    owner = paying_owner(client, "owner@example.com")
    buy_packages(client, owner, 25)
    colleague = member(client, podium, owner, MEMBER)
    mine, theirs = account(client, owner), account(client, colleague)
    assert mine["payment_method"] == "card ending 4242"
    billing = {"balance": mine["balance"], "payment_method": mine["payment_method"]}
    assert {**theirs, "role": "owner", **billing} == mine
    assert "balance" not in theirs
    assert "payment_method" not in theirs
    refused = client.get("/account/transactions", headers=colleague.headers)
    assert "billing" in problem(refused, 403)["detail"]


def test_a_member_gets_403_on_everything_that_moves_money_or_manages(
    client: TestClient, podium: Podium, subtests: pytest.Subtests
) -> None:
    """Billing, subaccounts and members are the owner's: a member gets 403, nothing changes."""
    owner = paying_owner(client, "owner@example.com")
    colleague = member(client, podium, owner, MEMBER)
    before = head(podium)
    for method, path, body in OWNER_ONLY:
        with subtests.test(method=method, path=path):
            response = client.request(method, path, json=body, headers=colleague.headers)
            assert "owner" in problem(response, 403)["detail"]
    assert head(podium) == before


def test_a_removed_member_is_shut_out(client: TestClient, podium: Podium) -> None:
    """After the owner removes a member, its keys and its password stop working."""
    owner = paying_owner(client, "owner@example.com")
    colleague = member(client, podium, owner, MEMBER)
    login_id = next(
        m["login_id"] for m in account(client, owner)["members"] if m["email"] == MEMBER
    )
    expect(client.delete(f"/members/{login_id}", headers=owner.headers), 200)
    problem(client.get("/account", headers=colleague.headers), 401)
    problem(client.post("/sessions", json={"email": MEMBER, "password": PASSWORD}), 401)
    assert [m["email"] for m in account(client, owner)["members"]] == ["owner@example.com"]
    problem(client.delete(f"/members/{login_id}", headers=owner.headers), 404)


def test_the_owner_cannot_be_removed(client: TestClient) -> None:
    """Removing the owner's own login is a 409; the owner stays, and its key still works."""
    owner = paying_owner(client, "owner@example.com")
    login_id = account(client, owner)["members"][0]["login_id"]
    problem(client.delete(f"/members/{login_id}", headers=owner.headers), 409)
    after = account(client, owner)
    assert [(m["login_id"], m["role"], m["status"]) for m in after["members"]] == [
        (login_id, "owner", "active")
    ]
    assert log_in(client, "owner@example.com")


def test_a_member_cannot_be_invited_twice(client: TestClient) -> None:
    """An email that already has a Podium login cannot be invited (409)."""
    owner = paying_owner(client, "owner@example.com")
    expect(client.post("/members", json={"email": MEMBER}, headers=owner.headers), 201)
    problem(client.post("/members", json={"email": MEMBER}, headers=owner.headers), 409)
    problem(
        client.post("/members", json={"email": "owner@example.com"}, headers=owner.headers), 409
    )


def test_an_expired_invitation_is_renewed_through_password_reset(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """An invitee whose 7-day activation link expired gets in through a reset link."""
    owner = paying_owner(client, "owner@example.com")
    expect(client.post("/members", json={"email": MEMBER}, headers=owner.headers), 201)
    stale = link_token(podium, MEMBER, "activation")
    clock.advance(timedelta(days=7))
    problem(client.post("/activation", json={"token": stale, "password": PASSWORD}), 409)
    problem(client.post("/members", json={"email": MEMBER}, headers=owner.headers), 409)
    expect(client.post("/password-reset", json={"email": MEMBER}), 202)
    fresh = link_token(podium, MEMBER, "password_reset")
    expect(client.post("/password-reset/confirm", json={"token": fresh, "password": PASSWORD}), 200)
    assert account(client, Caller(owner.account_id, MEMBER, log_in(client, MEMBER)))["role"] == (
        "member"
    )
