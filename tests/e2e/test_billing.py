"""Money over HTTP: subscribe, upgrade, downgrade, cancel, add funds, add-ons, packages, renewal.

The clock starts at 2026-10-15 09:00 UTC, so a plan bought then runs to 2026-11-15 09:00: a
31-day period. Every prorated amount is computed here, independently of Podium's arithmetic.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.payments import SandboxGateway
from tests.e2e.helpers import (
    CARD_DECLINED,
    PASSWORD,
    Caller,
    Json,
    account,
    add_card,
    buy_packages,
    expect,
    head,
    log_in,
    paying_owner,
    period_end,
    problem,
    renew_at,
    round_half_up,
    subscribe,
    transactions,
    trial_owner,
)

PERIOD_START = date(2026, 10, 15)
PERIOD_END = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)


def monthly_price(client: TestClient, plan_id: str) -> int:
    plans = expect(client.get("/plans"), 200)["plans"]
    return int(next(plan["monthly_price"] for plan in plans if plan["id"] == plan_id))


def prorated(amount: int, today: date) -> int:
    """``amount`` for the whole days from ``today`` to the period's end, out of its 31 days."""
    days_left = (PERIOD_END.date() - today).days
    return round_half_up(amount * days_left, (PERIOD_END.date() - PERIOD_START).days)


def money_moves(entries: list[Json]) -> list[tuple[str, int]]:
    """(kind, amount) of ledger entries, oldest first."""
    return [(entry["kind"], entry["amount"]) for entry in reversed(entries)]


def post(client: TestClient, caller: Caller, path: str, body: Json | None = None) -> Json:
    return expect(client.post(path, json=body, headers=caller.headers), 200)


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
    assert [(token, money.amount) for token, money in gateway.charged] == [
        ("sandbox_card_4242424242424242", 3_000)
    ]


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


def test_adding_funds_charges_the_card_and_raises_the_balance(
    client: TestClient, gateway: SandboxGateway
) -> None:
    """POST /account/funds takes the amount from the card and puts it on the balance."""
    owner = paying_owner(client, "owner@example.com")
    body = post(client, owner, "/account/funds", {"amount": 5_000})
    assert body["balance"] == 5_000
    assert account(client, owner)["balance"] == 5_000
    newest = transactions(client, owner)[0]
    assert (newest["kind"], newest["amount"], newest["balance_after"]) == ("top_up", 5_000, 5_000)
    assert newest["description"] == "funds added by card ending 4242"
    assert gateway.charged[-1][1].amount == 5_000


def test_a_trial_with_a_card_can_add_funds(client: TestClient) -> None:
    """Funds need a card, not a paid plan."""
    owner = trial_owner(client, "owner@example.com")
    add_card(client, owner)
    assert post(client, owner, "/account/funds", {"amount": 1_234})["balance"] == 1_234


def test_up_to_three_camera_feeds_can_be_added(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Camera feeds go from 4 to at most 7, each prorated when bought, then monthly."""
    owner = paying_owner(client, "owner@example.com")
    clock.advance(timedelta(days=8))  # the 23rd: 23 of 31 days left
    one = post(client, owner, "/account/add-ons", {"add_on": "camera_feed"})
    assert one["charged"] == prorated(1_000, clock.now().date()) == 742
    two = post(client, owner, "/account/add-ons", {"add_on": "camera_feed", "quantity": 2})
    assert two["charged"] == prorated(2_000, clock.now().date())
    shown = account(client, owner)
    assert shown["limits"]["camera_feeds"] == 7
    assert shown["camera_feed_add_ons_left"] == 0
    assert shown["add_ons"] == {"camera_feed": 3}

    before = head(podium)
    refused = problem(
        client.post("/account/add-ons", json={"add_on": "camera_feed"}, headers=owner.headers),
        409,
    )
    assert "at most 3" in refused["detail"]
    assert head(podium) == before
    assert account(client, owner)["limits"]["camera_feeds"] == 7

    renewed = renew_at(podium, clock, owner.account_id, PERIOD_END)
    assert renewed["charged"] == 3_000 + 3 * 1_000


def test_two_hundred_seats_only_on_the_100_and_500_plans(client: TestClient) -> None:
    """The 200-seat add-on is refused on Live 25 and adds 200 attendees on Live 100, once."""
    small = paying_owner(client, "small@example.com", "live-25")
    refused = problem(
        client.post("/account/add-ons", json={"add_on": "extra_seats"}, headers=small.headers),
        409,
    )
    assert "100 or 500" in refused["detail"]
    assert account(client, small)["limits"]["max_attendees"] == 25

    large = paying_owner(client, "large@example.com", "live-100")
    body = post(client, large, "/account/add-ons", {"add_on": "extra_seats"})
    assert body["charged"] == 9_900  # bought on the period's first day: the full month
    assert account(client, large)["limits"]["max_attendees"] == 300
    problem(
        client.post("/account/add-ons", json={"add_on": "extra_seats"}, headers=large.headers),
        409,
    )


def test_storage_and_room_sessions_raise_their_limits(client: TestClient) -> None:
    """Each storage add-on adds 1 GB; each room session one more concurrent event."""
    owner = paying_owner(client, "owner@example.com", "live-25")
    base = account(client, owner)["limits"]
    post(client, owner, "/account/add-ons", {"add_on": "storage", "quantity": 2})
    post(client, owner, "/account/add-ons", {"add_on": "room_session"})
    limits = account(client, owner)["limits"]
    assert limits["storage_mb"] == base["storage_mb"] + 2 * 1024
    assert limits["room_sessions"] == base["room_sessions"] + 1


def test_subaccount_packages_are_prorated_then_charged_monthly(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Help-centre example: bought on the 23rd, period ending the 15th: 23/31, then monthly."""
    owner = paying_owner(client, "owner@example.com", "live-25")
    assert period_end(client, owner) == PERIOD_END
    clock.set(datetime(2026, 10, 23, 14, 30, tzinfo=UTC))
    price = 2_000  # a 25-attendee package, monthly
    body = buy_packages(client, owner, 25)
    assert body["charged"] == round_half_up(price * 23, 31) == 1_484
    assert money_moves(transactions(client, owner))[-2:] == [
        ("subaccounts", -1_484),
        ("card_payment", 1_484),
    ]
    assert account(client, owner)["subaccount_packages"] == [
        {"package_size": 25, "bought": 1, "free": 1}
    ]

    renewed = renew_at(podium, clock, owner.account_id, PERIOD_END)
    assert renewed["charged"] == 3_000 + price
    renewal = [e for e in transactions(client, owner) if e["reference"] == "renewal 2026-11-15"]
    assert sorted(e["amount"] for e in renewal if e["kind"] != "card_payment") == [-3_000, -price]


def test_several_packages_at_once_are_charged_together(
    client: TestClient, clock: ManualClock
) -> None:
    """Quantity multiplies the prorated price: three 50-attendee packages on the 23rd."""
    owner = paying_owner(client, "owner@example.com")
    clock.advance(timedelta(days=8))
    body = buy_packages(client, owner, 50, quantity=3)
    assert body["charged"] == round_half_up(3 * 3_500 * 23, 31)
    assert account(client, owner)["subaccount_packages"] == [
        {"package_size": 50, "bought": 3, "free": 3}
    ]


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


def test_two_hundred_seats_go_with_a_downgrade_to_a_plan_without_them(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Downgraded from Live 100 to Live 50, the 200-seat add-on ends, uncharged, at renewal."""
    owner = paying_owner(client, "owner@example.com", "live-100")
    post(client, owner, "/account/add-ons", {"add_on": "extra_seats"})
    post(client, owner, "/account/downgrade", {"plan_id": "live-50"})
    assert account(client, owner)["limits"]["max_attendees"] == 300  # until the period ends
    renewed = renew_at(podium, clock, owner.account_id, PERIOD_END)
    assert renewed["charged"] == monthly_price(client, "live-50")
    shown = account(client, owner)
    assert (shown["limits"]["max_attendees"], shown["add_ons"]) == (50, {})
