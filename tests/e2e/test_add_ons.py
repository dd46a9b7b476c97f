"""Money over HTTP beyond the plan: the balance, add-ons and subaccount packages.

The clock starts at 2026-10-15 09:00 UTC, so a plan bought then runs to 2026-11-15 09:00: a
31-day period. Every prorated amount is computed here, independently of Podium's arithmetic.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.payments import SandboxGateway
from tests.e2e.helpers import (
    PERIOD_END,
    account,
    add_card,
    buy_packages,
    head,
    money_moves,
    monthly_price,
    paying_owner,
    period_end,
    post,
    problem,
    prorated,
    renew_at,
    round_half_up,
    transactions,
    trial_owner,
)


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
