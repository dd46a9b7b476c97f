"""The plan catalogue, its prices, and what a plan plus add-ons allows and costs per period."""

from __future__ import annotations

from fractions import Fraction

import pytest

from domain.charges import check_add_on, effective_limits, period_charges
from domain.errors import InvalidRequestError, LimitExceededError, RuleViolationError
from domain.money import Money
from domain.plans import (
    PLANS,
    TRIAL_DAYS,
    TRIAL_LIMITS,
    AddOn,
    BillingCycle,
    Limits,
    UnknownPlanError,
    package_price,
    plan_by_id,
)
from tests.unit.factories import half_up

# The published price list: attendees -> (monthly dollars, presenters, storage MB, recording min).
CATALOGUE = {
    25: (30, 2, 128, 360),
    50: (48, 3, 256, 600),
    100: (79, 4, 512, 1200),
    150: (95, 4, 512, 1200),
    200: (119, 4, 1024, 1800),
    500: (245, 4, 1024, 1800),
    1000: (405, 4, 1024, 3000),
}


@pytest.mark.parametrize("attendees", sorted(CATALOGUE))
def test_catalogue_lists_each_plan_with_its_price_and_limits(attendees: int) -> None:
    """Every published plan exists with its monthly price and limits."""
    dollars, presenters, storage, recording = CATALOGUE[attendees]
    plan = plan_by_id(f"live-{attendees}")
    assert plan.name == f"Live {attendees}"
    assert plan.monthly_price == Money(dollars * 100)
    assert plan.limits == Limits(
        max_attendees=attendees,
        max_meeting_attendees=25,
        presenters=presenters,
        camera_feeds=4,
        recording_minutes=recording,
        storage_mb=storage,
        room_sessions=1,
    )


def test_catalogue_has_exactly_the_published_plans() -> None:
    """No plan outside the price list is sold."""
    assert set(PLANS) == {f"live-{attendees}" for attendees in CATALOGUE}


def test_larger_plans_cost_more() -> None:
    """Ordered by audience, monthly prices strictly increase (so upgrades always cost more)."""
    plans = sorted(PLANS.values(), key=lambda p: p.limits.max_attendees)
    prices = [p.monthly_price.amount for p in plans]
    assert prices == sorted(prices)
    assert len(set(prices)) == len(prices)


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_annual_price_is_twelve_months_less_twenty_percent(plan_id: str) -> None:
    """An annual period costs 12 monthly prices less 20%, rounded half-up to the cent."""
    plan = plan_by_id(plan_id)
    expected = half_up(Fraction(plan.monthly_price.amount * 12 * 80, 100))
    assert plan.price(BillingCycle.ANNUAL) == Money(expected)
    assert plan.as_dict()["annual_price"] == expected


@pytest.mark.parametrize("plan_id", sorted(PLANS))
def test_nonprofits_get_thirty_percent_off(plan_id: str) -> None:
    """A nonprofit pays 70% of the monthly price, and 70% of the discounted annual price."""
    plan = plan_by_id(plan_id)
    monthly = plan.monthly_price.amount
    assert plan.price(BillingCycle.MONTHLY, nonprofit=True) == Money(
        half_up(Fraction(monthly * 70, 100))
    )
    annual = half_up(Fraction(monthly * 12 * 80, 100))
    assert plan.price(BillingCycle.ANNUAL, nonprofit=True) == Money(
        half_up(Fraction(annual * 70, 100))
    )


def test_monthly_price_is_the_list_price() -> None:
    """A monthly period of a for-profit account costs the monthly list price."""
    assert plan_by_id("live-25").price(BillingCycle.MONTHLY) == Money(3000)


def test_billing_cycle_lengths() -> None:
    """A monthly cycle is 1 month, an annual one 12."""
    assert BillingCycle.MONTHLY.months == 1
    assert BillingCycle.ANNUAL.months == 12


def test_unknown_plan_error_names_every_plan() -> None:
    """Asking for a plan not in the catalogue is an invalid request that lists the real ones."""
    with pytest.raises(UnknownPlanError) as raised:
        plan_by_id("live-75")
    message = str(raised.value)
    assert "'live-75'" in message
    for plan_id in PLANS:
        assert plan_id in message
    assert isinstance(raised.value, InvalidRequestError)


def test_unknown_package_size_error_names_the_sizes() -> None:
    """A subaccount package size not sold is refused, listing 25, 50, 100 and 200."""
    with pytest.raises(UnknownPlanError, match="sizes are: 25, 50, 100, 200"):
        package_price(30)
    assert package_price(100) == Money(5500)


def test_trial_lasts_thirty_days_with_small_limits() -> None:
    """The trial: 30 days, 25 attendees, 5 in a meeting, 2 presenters, 4 cameras, 30 min, 64 MB."""
    assert TRIAL_DAYS == 30
    expected = Limits(
        max_attendees=25,
        max_meeting_attendees=5,
        presenters=2,
        camera_feeds=4,
        recording_minutes=30,
        storage_mb=64,
        room_sessions=1,
    )
    assert expected == TRIAL_LIMITS


def test_plan_as_dict_is_what_the_api_shows() -> None:
    """as_dict gives id, name, prices in cents, currency and the limits by name."""
    shown = plan_by_id("live-50").as_dict()
    assert shown["id"] == "live-50"
    assert shown["monthly_price"] == 4800
    assert shown["currency"] == "USD"
    assert shown["limits"]["max_attendees"] == 50


# ---- effective limits and period charges ------------------------------------------------------


def test_without_a_plan_the_trial_limits_apply_whatever_the_add_ons() -> None:
    """An account with no plan has the trial's limits; add-ons need a plan."""
    assert effective_limits(None, {AddOn.CAMERA_FEED: 3}) == TRIAL_LIMITS


def test_add_ons_extend_the_plan_limits() -> None:
    """Each camera feed, room session and storage GB adds one unit; extra seats add 200."""
    plan = plan_by_id("live-100")
    limits = effective_limits(
        plan,
        {AddOn.CAMERA_FEED: 2, AddOn.ROOM_SESSION: 3, AddOn.STORAGE: 2, AddOn.EXTRA_SEATS: 1},
    )
    assert limits.camera_feeds == 4 + 2
    assert limits.room_sessions == 1 + 3
    assert limits.storage_mb == 512 + 2 * 1024
    assert limits.max_attendees == 100 + 200
    assert limits.presenters == plan.limits.presenters


def test_period_charges_list_plan_add_ons_and_packages() -> None:
    """One monthly period: the plan, each add-on by quantity, each package size by quantity."""
    charges = period_charges(
        plan_by_id("live-100"),
        BillingCycle.MONTHLY,
        nonprofit=False,
        promo_codes={},
        add_ons={"camera_feed": 2},
        packages={"25": 3, "50": 0},
    )
    assert [(c.kind, c.amount) for c in charges] == [
        ("plan", Money(7900)),
        ("add_on", Money(2 * 1000)),
        ("subaccounts", Money(3 * 2000)),
    ]


def test_period_charges_take_the_best_promo_code_off_the_plan_only() -> None:
    """With two promo codes the larger percentage comes off the plan price; add-ons pay in full."""
    charges = period_charges(
        plan_by_id("live-200"),
        BillingCycle.MONTHLY,
        nonprofit=False,
        promo_codes={"WELCOME10": 10, "WEBINAR20": 20},
        add_ons={"storage": 1},
        packages={},
    )
    assert charges[0].amount == Money(half_up(Fraction(11900 * 80, 100)))
    assert charges[1].amount == Money(1000)


def test_annual_period_charges_add_ons_for_twelve_months() -> None:
    """On an annual cycle add-ons and packages cost twelve months each (no annual discount)."""
    charges = period_charges(
        plan_by_id("live-25"),
        BillingCycle.ANNUAL,
        nonprofit=False,
        promo_codes={},
        add_ons={"room_session": 1},
        packages={"200": 1},
    )
    assert [c.amount for c in charges] == [
        Money(half_up(Fraction(3000 * 12 * 80, 100))),
        Money(2500 * 12),
        Money(8900 * 12),
    ]


# ---- add-on rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("add_on", "owned", "quantity"),
    [
        (AddOn.CAMERA_FEED, 0, 3),
        (AddOn.CAMERA_FEED, 2, 1),
        (AddOn.EXTRA_SEATS, 0, 1),
        (AddOn.STORAGE, 50, 10),
        (AddOn.ROOM_SESSION, 9, 5),
    ],
)
def test_add_ons_within_the_rules_are_allowed(add_on: AddOn, owned: int, quantity: int) -> None:
    """Up to 3 extra cameras, one seats block on Live 100; storage and sessions have no cap."""
    check_add_on(plan_by_id("live-100"), add_on, owned, quantity)


@pytest.mark.parametrize(
    ("plan_id", "add_on", "owned", "quantity", "error"),
    [
        ("live-100", AddOn.CAMERA_FEED, 3, 1, LimitExceededError),
        ("live-100", AddOn.CAMERA_FEED, 0, 4, LimitExceededError),
        ("live-500", AddOn.EXTRA_SEATS, 1, 1, LimitExceededError),
        ("live-200", AddOn.EXTRA_SEATS, 0, 1, RuleViolationError),
        ("live-100", AddOn.STORAGE, 0, 0, InvalidRequestError),
    ],
)
def test_add_ons_beyond_the_rules_are_refused(
    plan_id: str, add_on: AddOn, owned: int, quantity: int, error: type[Exception]
) -> None:
    """Too many cameras or seat blocks, seats on the wrong plan, or no quantity are refused."""
    with pytest.raises(error):
        check_add_on(plan_by_id(plan_id), add_on, owned, quantity)
