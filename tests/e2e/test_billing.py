"""Money over HTTP: subscribe, upgrade, downgrade, cancel, promo codes, renewal.

The clock starts at 2026-10-15 09:00 UTC, so a plan bought then runs to 2026-11-15 09:00: a
31-day period. Every prorated amount is computed here, independently of Podium's arithmetic.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.payments import SandboxGateway
from tests.e2e.helpers import (
    CARD_DECLINED,
    PASSWORD,
    PERIOD_END,
    Caller,
    Json,
    account,
    add_card,
    expect,
    head,
    log_in,
    money_moves,
    monthly_price,
    paying_owner,
    post,
    problem,
    prorated,
    renew_at,
    round_half_up,
    subscribe,
    transactions,
    trial_owner,
)


def test_subscribing_converts_the_trial_and_charges_the_first_month(
    client: TestClient, gateway: SandboxGateway
) -> None:
    """Subscribing ends the trial and charges a calendar month of the plan to the card."""
    owner = trial_owner(client, "owner@example.com")
    add_card(client, owner)
    body = subscribe(client, owner, "live-25")
    assert body["charged"] == 3_000
    assert body["period_end"] == PERIOD_END.isoformat()
    shown = account(client, owner)
    assert (shown["status"], shown["plan_id"], shown["cycle"]) == ("active", "live-25", "monthly")
    assert shown["trial_ends"] is None
    assert money_moves(transactions(client, owner)) == [("plan", -3_000), ("card_payment", 3_000)]
    assert shown["balance"] == 0
    [(token, money)] = gateway.charged
    assert money.amount == 3_000
    assert "4242424242424242" not in token  # charged through an opaque token


def test_an_annual_subscription_costs_twelve_months_less_twenty_percent(
    client: TestClient,
) -> None:
    """The annual cycle charges 12 x the monthly price x 0.8 and runs for a year."""
    owner = trial_owner(client, "owner@example.com")
    add_card(client, owner)
    response = client.post(
        "/account/subscription",
        json={"plan_id": "live-50", "cycle": "annual"},
        headers=owner.headers,
    )
    body = expect(response, 200)
    assert body["charged"] == monthly_price(client, "live-50") * 12 * 8 // 10
    assert body["period_end"] == datetime(2027, 10, 15, 9, 0, tzinfo=UTC).isoformat()


@pytest.mark.parametrize(
    "days_in",
    [
        pytest.param(0, id="first-day"),
        pytest.param(5, id="26-days-left"),
        pytest.param(28, id="3-days-left"),  # where rounding twice would be a cent off
    ],
)
def test_an_upgrade_is_immediate_and_charges_the_prorated_difference(
    client: TestClient, clock: ManualClock, days_in: int
) -> None:
    """An upgrade applies at once, charging the price difference for the days left."""
    owner = paying_owner(client, "owner@example.com", "live-25")
    clock.advance(timedelta(days=days_in))
    difference = monthly_price(client, "live-100") - monthly_price(client, "live-25")
    expected = prorated(difference, clock.now().date())
    body = post(client, owner, "/account/upgrade", {"plan_id": "live-100"})
    assert body["charged"] == expected
    shown = account(client, owner)
    assert shown["plan_id"] == "live-100"
    assert shown["limits"]["max_attendees"] == 100
    assert shown["period_end"] == PERIOD_END.isoformat()
    assert money_moves(transactions(client, owner))[-2:] == [
        ("proration", -expected),
        ("card_payment", expected),
    ]


def test_a_downgrade_takes_effect_next_period_and_voids_promo_codes(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A downgrade voids promo codes now and changes plan and price from the next period."""
    owner = paying_owner(client, "owner@example.com", "live-100")
    promo = post(client, owner, "/account/promo-codes", {"code": "welcome10"})
    assert promo["promo_codes"] == {"WELCOME10": 10}
    body = post(client, owner, "/account/downgrade", {"plan_id": "live-25"})
    assert body["effective"] == PERIOD_END.isoformat()
    shown = account(client, owner)
    assert (shown["plan_id"], shown["scheduled_plan_id"]) == ("live-100", "live-25")
    assert shown["limits"]["max_attendees"] == 100
    assert shown["promo_codes"] == {}
    renewed = renew_at(podium, clock, owner.account_id, PERIOD_END)
    assert renewed["charged"] == monthly_price(client, "live-25")  # no 10% off: voided
    shown = account(client, owner)
    assert (shown["plan_id"], shown["scheduled_plan_id"]) == ("live-25", None)
    assert shown["limits"]["max_attendees"] == 25
    assert shown["period_end"] == datetime(2026, 12, 15, 9, 0, tzinfo=UTC).isoformat()


def test_a_promo_code_takes_its_percentage_off_the_renewal(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """WEBINAR20 takes 20% off the next period's plan charge."""
    owner = paying_owner(client, "owner@example.com", "live-100")
    post(client, owner, "/account/promo-codes", {"code": "WEBINAR20"})
    renewed = renew_at(podium, clock, owner.account_id, PERIOD_END)
    assert renewed["charged"] == round_half_up(monthly_price(client, "live-100") * 80, 100)


def test_cancelling_refunds_nothing_and_keeps_the_account_to_the_period_end(
    client: TestClient, podium: Podium, clock: ManualClock, gateway: SandboxGateway
) -> None:
    """Cancelling refunds nothing, keeps the plan to the period end, then closes uncharged."""
    owner = paying_owner(client, "owner@example.com", "live-50")
    clock.advance(timedelta(days=3))
    ledger_before = transactions(client, owner)
    body = post(client, owner, "/account/cancellation")
    assert body["usable_until"] == PERIOD_END.isoformat()
    shown = account(client, owner)
    assert (shown["status"], shown["ends_at"]) == ("cancelled", PERIOD_END.isoformat())
    assert shown["limits"]["max_attendees"] == 50
    assert transactions(client, owner) == ledger_before
    payments = list(gateway.charged)

    renew_at(podium, clock, owner.account_id, PERIOD_END - timedelta(seconds=1))
    assert account(client, owner)["status"] == "cancelled"  # still usable to the last second
    renew_at(podium, clock, owner.account_id, PERIOD_END)
    assert account(client, owner)["status"] == "closed"
    renew_at(podium, clock, owner.account_id, PERIOD_END + timedelta(days=31))
    assert account(client, owner)["status"] == "closed"
    assert transactions(client, owner) == ledger_before
    assert gateway.charged == payments


def test_a_cancelled_trial_closes_at_once(client: TestClient) -> None:
    """A trial has no paid period to run out: cancelling it closes it."""
    owner = trial_owner(client, "owner@example.com")
    post(client, owner, "/account/cancellation")
    assert account(client, owner)["status"] == "closed"


# (who asks: "trial" with a card, or "paying" on Live 50; path; body; words of the detail)
FORBIDDEN_NOW: list[tuple[str, str, Json | None, str]] = [
    ("paying", "/account/subscription", {"plan_id": "live-100"}, "use upgrade or downgrade"),
    ("paying", "/account/upgrade", {"plan_id": "live-50"}, "smaller plans are a downgrade"),
    ("paying", "/account/upgrade", {"plan_id": "live-25"}, "smaller plans are a downgrade"),
    ("paying", "/account/downgrade", {"plan_id": "live-100"}, "larger plans are an upgrade"),
    ("paying", "/account/promo-codes", {"code": "WELCOME10"}, "already applied"),
    ("trial", "/account/upgrade", {"plan_id": "live-100"}, "subscribe first"),
    ("trial", "/account/downgrade", {"plan_id": "live-25"}, "subscribe first"),
    ("trial", "/account/promo-codes", {"code": "WELCOME10"}, "subscribe first"),
    ("trial", "/account/add-ons", {"add_on": "storage"}, "subscribe first"),
    ("trial", "/account/subaccount-packages", {"package_size": 25}, "subscribe first"),
    ("paying", "/account/cancellation", None, "cannot be cancelled"),  # cancelled just before
]


def test_plan_changes_the_account_is_not_in_a_state_for_are_409(
    client: TestClient, podium: Podium, subtests: pytest.Subtests
) -> None:
    """Plan changes the account's state forbids are 409, saying what to do instead."""
    trial = trial_owner(client, "trial@example.com")
    add_card(client, trial)
    paying = paying_owner(client, "paying@example.com", "live-50")
    post(client, paying, "/account/promo-codes", {"code": "WELCOME10"})
    callers = {"trial": trial, "paying": paying}
    for who, path, body, words in FORBIDDEN_NOW:
        if path == "/account/cancellation":
            post(client, paying, path)
        with subtests.test(who=who, path=path, body=body):
            before = head(podium)
            refused = problem(client.post(path, json=body, headers=callers[who].headers), 409)
            assert words in refused["detail"]
            assert head(podium) == before


def test_a_declined_renewal_leaves_money_owed_until_funds_cover_it(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A declined renewal leaves the account past due until added funds cover the debt."""
    owner = paying_owner(client, "owner@example.com", "live-25")
    add_card(client, owner, CARD_DECLINED)
    renew_at(podium, clock, owner.account_id, PERIOD_END)
    shown = account(client, owner)
    assert (shown["status"], shown["balance"]) == ("past_due", -3_000)
    assert [e["kind"] for e in transactions(client, owner)[:2]] == ["payment_declined", "plan"]
    add_card(client, owner)
    post(client, owner, "/account/funds", {"amount": 1_000})
    assert account(client, owner)["status"] == "past_due"
    post(client, owner, "/account/funds", {"amount": 2_000})
    shown = account(client, owner)
    assert (shown["status"], shown["balance"]) == ("active", 0)


def test_an_expired_trial_can_still_subscribe(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Thirty days on, the scheduler expires the trial; subscribing then starts a paid period."""
    owner = trial_owner(client, "owner@example.com")
    renew_at(podium, clock, owner.account_id, datetime(2026, 11, 14, 9, 0, tzinfo=UTC))
    assert account(client, owner)["status"] == "trial_expired"
    add_card(client, owner)
    body = subscribe(client, owner, "live-25")
    assert body["period_end"] == datetime(2026, 12, 14, 9, 0, tzinfo=UTC).isoformat()
    assert account(client, owner)["status"] == "active"


def test_nonprofits_pay_thirty_percent_less(client: TestClient) -> None:
    """An account opened as a nonprofit is charged 70% of the plan's price."""
    body = {"name": "Charity", "email": "owner@example.com", "password": PASSWORD}
    created = expect(client.post("/accounts", json={**body, "nonprofit": True}), 201)
    owner = Caller(
        str(created["account_id"]), "owner@example.com", log_in(client, "owner@example.com")
    )
    add_card(client, owner)
    assert subscribe(client, owner, "live-100")["charged"] == round_half_up(7_900 * 70, 100)
    assert account(client, owner)["nonprofit"] is True


def test_an_annual_upgrade_is_prorated_over_the_year(
    client: TestClient, clock: ManualClock
) -> None:
    """On an annual plan the difference of the annual prices is prorated over 365 days."""
    owner = trial_owner(client, "owner@example.com")
    add_card(client, owner)
    response = client.post(
        "/account/subscription",
        json={"plan_id": "live-25", "cycle": "annual"},
        headers=owner.headers,
    )
    expect(response, 200)
    clock.advance(timedelta(days=100))
    annual = {plan: monthly_price(client, plan) * 12 * 8 // 10 for plan in ("live-25", "live-100")}
    expected = round_half_up((annual["live-100"] - annual["live-25"]) * 265, 365)
    assert post(client, owner, "/account/upgrade", {"plan_id": "live-100"})["charged"] == expected


def test_paypal_pays_like_a_card(client: TestClient) -> None:
    """A PayPal account on file pays for the subscription; one starting "decline" is refused."""
    owner = trial_owner(client, "owner@example.com")
    paypal = {"kind": "paypal", "email": "Owner@Example.com"}
    body = expect(client.put("/account/payment-method", json=paypal, headers=owner.headers), 200)
    assert body == {"kind": "paypal", "label": "PayPal owner@example.com"}
    assert subscribe(client, owner, "live-25")["charged"] == 3_000
    declining = {"kind": "paypal", "email": "decline@example.com"}
    expect(client.put("/account/payment-method", json=declining, headers=owner.headers), 200)
    problem(client.post("/account/funds", json={"amount": 100}, headers=owner.headers), 402)


def test_the_history_pages_back_from_the_newest(client: TestClient) -> None:
    """GET /account/transactions?limit=n gives the newest n; before=sequence pages back."""
    owner = paying_owner(client, "owner@example.com")
    for amount in (100, 200, 300):
        post(client, owner, "/account/funds", {"amount": amount})
    everything = transactions(client, owner)
    assert [e["sequence"] for e in everything] == [5, 4, 3, 2, 1]
    assert [e["balance_after"] for e in everything] == [600, 300, 100, 0, -3_000]
    page = expect(client.get("/account/transactions?limit=2", headers=owner.headers), 200)
    assert page["entries"] == everything[:2]
    assert page["balance"] == 600
    older = expect(client.get("/account/transactions?limit=2&before=4", headers=owner.headers), 200)
    assert older["entries"] == everything[2:4]
