"""Sign-up, log-in, and "which plan am I on, what does it allow"."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from domain.login import Login
from podium.bootstrap import Podium
from tests.conftest import START
from tests.e2e.helpers import (
    PASSWORD,
    account,
    expect,
    log_in,
    paying_owner,
    problem,
    sign_up,
    trial_owner,
)


def catalogue_plan(client: TestClient, plan_id: str) -> dict[str, object]:
    plans = expect(client.get("/plans"), 200)["plans"]
    return next(plan for plan in plans if plan["id"] == plan_id)


def test_sign_up_opens_a_thirty_day_trial_without_a_card(client: TestClient) -> None:
    """A sign-up needs no card: the account is on the trial, ending 30 days from now."""
    body = expect(
        client.post(
            "/accounts",
            json={"name": "Acme", "email": "owner@example.com", "password": PASSWORD},
        ),
        201,
    )
    assert body["status"] == "trial"
    assert body["email"] == "owner@example.com"
    assert body["trial_ends"] == (START + timedelta(days=30)).isoformat()
    key = log_in(client, "owner@example.com")
    shown = expect(client.get("/account", headers={"X-Api-Key": key}), 200)
    assert shown["account_id"] == body["account_id"]
    assert shown["payment_method"] is None
    assert shown["plan"] == {"id": "trial", "name": "Free trial"}
    assert shown["balance"] == 0


def test_the_trial_allows_what_the_catalogue_says(client: TestClient) -> None:
    """GET /account on a trial shows the trial's limits, the same as GET /plans lists."""
    owner = trial_owner(client, "owner@example.com")
    catalogue = expect(client.get("/plans"), 200)
    assert catalogue["trial"]["days"] == 30
    assert catalogue["trial"]["card_required"] is False
    assert account(client, owner)["limits"] == catalogue["trial"]["limits"]
    assert catalogue["trial"]["limits"]["max_attendees"] == 25
    assert catalogue["trial"]["limits"]["max_meeting_attendees"] == 5


def test_the_catalogue_lists_every_plan_with_prices_and_limits(client: TestClient) -> None:
    """GET /plans needs no key and lists Live 25 to Live 1000, annual at 12 months less 20%."""
    catalogue = expect(client.get("/plans"), 200)
    ids = [plan["id"] for plan in catalogue["plans"]]
    assert ids == [f"live-{n}" for n in (25, 50, 100, 150, 200, 500, 1000)]
    for plan in catalogue["plans"]:
        assert plan["annual_price"] == plan["monthly_price"] * 12 * 80 // 100
        assert plan["limits"]["max_attendees"] == int(plan["id"].removeprefix("live-"))
    assert catalogue["currency"] == "USD"
    assert catalogue["add_ons"]["extra_seats"] == 9_900
    assert catalogue["subaccount_packages"] == {
        "25": 2_000,
        "50": 3_500,
        "100": 5_500,
        "200": 8_900,
    }


def test_a_paid_account_shows_its_plan_and_what_it_allows(client: TestClient) -> None:
    """After subscribing, GET /account names the plan and shows its catalogue limits."""
    owner = paying_owner(client, "owner@example.com", "live-100")
    shown = account(client, owner)
    plan = catalogue_plan(client, "live-100")
    assert shown["plan_id"] == "live-100"
    assert shown["plan"] == plan
    assert shown["limits"] == plan["limits"]
    assert shown["status"] == "active"
    assert shown["payment_method"] == "card ending 4242"


def test_log_in_gives_a_working_session_key(client: TestClient) -> None:
    """The right email and password, in any letter case, give a key that reads the account."""
    account_id = sign_up(client, "Owner@Example.com")
    key = log_in(client, "OWNER@example.com")
    shown = expect(client.get("/account", headers={"X-Api-Key": key}), 200)
    assert shown["account_id"] == account_id
    assert shown["owner_email"] == "owner@example.com"


def test_wrong_password_and_unknown_email_get_the_same_401(client: TestClient) -> None:
    """A failed log-in says the same whether the email exists, and issues no key."""
    sign_up(client, "owner@example.com")
    wrong = problem(
        client.post("/sessions", json={"email": "owner@example.com", "password": "nope" * 3}), 401
    )
    unknown = problem(
        client.post("/sessions", json={"email": "ghost@example.com", "password": PASSWORD}), 401
    )
    assert wrong["detail"] == unknown["detail"] == "wrong email or password"


def test_passwords_are_stored_as_argon2_hashes(client: TestClient, podium: Podium) -> None:
    """The login keeps an argon2 hash, never the password."""
    sign_up(client, "owner@example.com")
    login: object = podium.store.repository.get(Login.id_for("owner@example.com"))
    assert isinstance(login, Login)
    assert login.password_hash is not None
    assert login.password_hash.startswith("$argon2id$")
    assert PASSWORD not in login.password_hash


def test_an_email_holds_one_login_in_all_of_podium(client: TestClient) -> None:
    """Signing up again with a taken email (in any case) is a 409, and opens nothing."""
    sign_up(client, "owner@example.com")
    body = {"name": "Copycat", "email": "OWNER@example.com", "password": PASSWORD}
    refused = problem(client.post("/accounts", json=body), 409)
    assert "owner@example.com" in refused["detail"]
