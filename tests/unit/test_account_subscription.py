"""The Account's subscription: trial, subscribe, upgrade, downgrade, promo codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest

from domain.account import Account, Status
from domain.errors import RuleViolationError
from domain.money import Money
from domain.plans import TRIAL_LIMITS, BillingCycle, plan_by_id
from tests.unit.factories import (
    START,
    cancelled_account,
    closed_account,
    half_up,
    paid_account,
    past_due_account,
    trial_account,
)

MONTHLY, ANNUAL = BillingCycle.MONTHLY, BillingCycle.ANNUAL
NOV_15 = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)  # one month after START
OCT_23 = datetime(2026, 10, 23, 14, 0, tzinfo=UTC)  # the help centre's purchase day


# ---- trial ------------------------------------------------------------------------------------


def test_a_new_account_is_on_a_thirty_day_trial() -> None:
    """Opening starts a trial that ends 30 days later, with the trial's limits and no plan."""
    account = trial_account()
    assert account.status == Status.TRIAL
    assert account.trial_ends == START + timedelta(days=30)
    assert account.plan is None
    assert account.limits() == TRIAL_LIMITS


def test_trial_is_usable_until_it_ends() -> None:
    """A trial can be used up to the last instant before its end, not at it."""
    account = trial_account()
    end = START + timedelta(days=30)
    assert account.is_usable(end - timedelta(seconds=1))
    assert not account.is_usable(end)


def test_renew_at_trial_end_expires_the_trial_without_charge() -> None:
    """When the trial is due, renewing expires it, charges nothing and makes it unusable."""
    account = trial_account()
    end = START + timedelta(days=30)
    assert not account.is_due(end - timedelta(seconds=1))
    assert account.is_due(end)
    assert account.renew(end) == []
    assert account.status == Status.TRIAL_EXPIRED
    assert not account.is_usable(end)
    assert not account.is_due(end + timedelta(days=400))


def test_nonprofit_flag_is_kept() -> None:
    """An account opened as a nonprofit says so."""
    assert trial_account(nonprofit=True).nonprofit is True
    assert trial_account().nonprofit is False


# ---- subscribe --------------------------------------------------------------------------------


def test_subscribe_starts_a_monthly_period_now_and_charges_the_plan() -> None:
    """A trial converts to a plan: active, period from now to a month later, charged in full."""
    account = trial_account()
    charges = account.subscribe(plan_by_id("live-100"), MONTHLY, START)
    assert account.status == Status.ACTIVE
    assert (account.period_start, account.period_end) == (START, NOV_15)
    assert account.trial_ends is None
    assert account.plan == plan_by_id("live-100")
    assert account.limits() == plan_by_id("live-100").limits
    assert [(c.kind, c.amount) for c in charges] == [("plan", Money(7900))]


def test_subscribe_annual_charges_the_discounted_year() -> None:
    """An annual subscription runs 12 months and costs 12 months less 20%."""
    account = trial_account()
    charges = account.subscribe(plan_by_id("live-50"), ANNUAL, START)
    assert account.period_end == datetime(2027, 10, 15, 9, 0, tzinfo=UTC)
    assert [c.amount for c in charges] == [Money(half_up(Fraction(4800 * 12 * 80, 100)))]


def test_nonprofit_subscription_is_thirty_percent_off() -> None:
    """A nonprofit's first period costs 70% of the list price."""
    account = trial_account(nonprofit=True)
    charges = account.subscribe(plan_by_id("live-25"), MONTHLY, START)
    assert [c.amount for c in charges] == [Money(half_up(Fraction(3000 * 70, 100)))]


def test_an_expired_trial_can_still_subscribe() -> None:
    """After the trial expired the account converts to a plan from that day."""
    account = trial_account()
    later = START + timedelta(days=45)
    account.renew(later)
    account.subscribe(plan_by_id("live-25"), MONTHLY, later)
    assert account.status == Status.ACTIVE
    assert account.period_start == later


@pytest.mark.parametrize(
    "make", [paid_account, past_due_account, cancelled_account, closed_account]
)
def test_only_a_trial_can_subscribe(make: Callable[[], Account]) -> None:
    """A paid, past-due, cancelled or closed account cannot subscribe (no way back to a trial)."""
    account: Account = make()
    with pytest.raises(RuleViolationError, match="only a trial converts"):
        account.subscribe(plan_by_id("live-25"), MONTHLY, START)
    assert account.collect_events() == []


# ---- upgrade ----------------------------------------------------------------------------------


def test_upgrade_charges_the_prorated_difference_help_centre_example() -> None:
    """Live 25 to Live 50 on 23 Oct in a 15 Oct - 15 Nov period: 23/31 of the price difference."""
    account = paid_account("live-25")
    charges = account.upgrade(plan_by_id("live-50"), OCT_23)
    expected = half_up(Fraction((4800 - 3000) * 23, 31))
    assert [(c.kind, c.amount) for c in charges] == [("proration", Money(expected))]


def test_upgrade_takes_effect_at_once() -> None:
    """After an upgrade the new plan and its limits apply now; the period is unchanged."""
    account = paid_account("live-25")
    account.upgrade(plan_by_id("live-500"), OCT_23)
    assert account.plan_id == "live-500"
    assert account.limits().max_attendees == 500
    assert (account.period_start, account.period_end) == (START, NOV_15)


def test_upgrade_on_the_first_day_charges_the_whole_difference() -> None:
    """Upgrading the day the period starts costs the full difference of the two prices."""
    account = paid_account("live-100", ANNUAL)
    charges = account.upgrade(plan_by_id("live-200"), START + timedelta(hours=3))
    difference = plan_by_id("live-200").price(ANNUAL) - plan_by_id("live-100").price(ANNUAL)
    assert [c.amount for c in charges] == [difference]


def test_nonprofit_upgrade_prorates_the_discounted_prices() -> None:
    """For a nonprofit the prorated difference is between the 30%-off prices."""
    account = paid_account("live-100", nonprofit=True)
    charges = account.upgrade(plan_by_id("live-150"), OCT_23)
    new = Fraction(half_up(Fraction(9500 * 70, 100)))
    old = Fraction(half_up(Fraction(7900 * 70, 100)))
    assert [c.amount for c in charges] == [Money(half_up((new - old) * 23 / 31))]


def test_upgrade_charge_is_the_difference_prorated_once() -> None:
    """Live 25 to Live 50 with 1 day of a 29-day period left costs 1/29 of $18, i.e. $0.62."""
    feb_1 = datetime(2028, 2, 1, 9, 0, tzinfo=UTC)  # 2028 is a leap year: 29 days to 1 March
    account = paid_account("live-25", at=feb_1)
    charges = account.upgrade(plan_by_id("live-50"), datetime(2028, 2, 29, 9, 0, tzinfo=UTC))
    assert [c.amount for c in charges] == [Money(half_up(Fraction(4800 - 3000, 29)))]


@pytest.mark.parametrize("plan_id", ["live-100", "live-50", "live-25"])
def test_upgrade_only_to_a_larger_plan(plan_id: str) -> None:
    """Upgrading to the same or a smaller plan is refused and records nothing."""
    account = paid_account("live-100")
    with pytest.raises(RuleViolationError, match="not larger than Live 100"):
        account.upgrade(plan_by_id(plan_id), OCT_23)
    assert account.collect_events() == []


def test_a_trial_cannot_upgrade() -> None:
    """Upgrading needs a paid plan; a trial is told to subscribe first."""
    with pytest.raises(RuleViolationError, match="subscribe first"):
        trial_account().upgrade(plan_by_id("live-500"), OCT_23)


def test_upgrade_cancels_a_scheduled_downgrade() -> None:
    """An upgrade supersedes a downgrade scheduled earlier in the period."""
    account = paid_account("live-200")
    account.downgrade(plan_by_id("live-50"), MONTHLY, OCT_23)
    account.upgrade(plan_by_id("live-500"), OCT_23)
    assert account.scheduled_plan_id is None
    account.renew(NOV_15)
    assert account.plan_id == "live-500"


# ---- downgrade --------------------------------------------------------------------------------


def test_downgrade_is_scheduled_for_the_period_end() -> None:
    """A smaller plan is scheduled: the current one stays to the period end; nothing charged."""
    account = paid_account("live-200")
    effective = account.downgrade(plan_by_id("live-50"), MONTHLY, OCT_23)
    assert effective == NOV_15
    assert account.plan_id == "live-200"
    assert account.scheduled_plan_id == "live-50"


def test_renewal_applies_a_scheduled_downgrade() -> None:
    """At the period end the smaller plan starts and the renewal charges its price."""
    account = paid_account("live-200")
    account.downgrade(plan_by_id("live-50"), MONTHLY, OCT_23)
    charges = account.renew(NOV_15)
    assert account.plan_id == "live-50"
    assert account.scheduled_plan_id is None
    assert [c.amount for c in charges] == [Money(4800)]


def test_downgrade_to_a_shorter_cycle_applies_at_renewal() -> None:
    """Annual to monthly on the same plan is a downgrade: the next period is one month."""
    account = paid_account("live-100", ANNUAL)
    year_end = datetime(2027, 10, 15, 9, 0, tzinfo=UTC)
    assert account.downgrade(plan_by_id("live-100"), MONTHLY, OCT_23) == year_end
    charges = account.renew(year_end)
    assert account.cycle == MONTHLY
    assert account.period_end == datetime(2027, 11, 15, 9, 0, tzinfo=UTC)
    assert [c.amount for c in charges] == [Money(7900)]


@pytest.mark.parametrize(
    ("plan_id", "cycle"), [("live-500", MONTHLY), ("live-200", MONTHLY), ("live-1000", MONTHLY)]
)
def test_downgrade_refuses_a_larger_or_equal_plan_on_the_same_cycle(
    plan_id: str, cycle: BillingCycle
) -> None:
    """The same plan and cycle, or a larger plan, is not a downgrade; nothing is recorded."""
    account = paid_account("live-200")
    with pytest.raises(RuleViolationError, match="is not a downgrade"):
        account.downgrade(plan_by_id(plan_id), cycle, OCT_23)
    assert account.collect_events() == []


def test_downgrade_voids_promo_codes() -> None:
    """Scheduling a downgrade removes the promo codes; the next renewal pays the list price."""
    account = paid_account("live-200")
    account.apply_promo_code("WEBINAR20", 20, START)
    account.downgrade(plan_by_id("live-100"), MONTHLY, OCT_23)
    assert account.promo_codes == {}
    assert [c.amount for c in account.renew(NOV_15)] == [Money(7900)]


def test_a_trial_cannot_downgrade() -> None:
    """A trial has no paid plan to go down from."""
    with pytest.raises(RuleViolationError, match="needs an active paid plan"):
        trial_account().downgrade(plan_by_id("live-25"), MONTHLY, OCT_23)


# ---- promo codes ------------------------------------------------------------------------------


def test_promo_code_discounts_renewals() -> None:
    """A promo code takes its percentage off the plan price of the next period."""
    account = paid_account("live-100")
    account.apply_promo_code("WELCOME10", 10, START)
    assert [c.amount for c in account.renew(NOV_15)] == [Money(half_up(Fraction(7900 * 90, 100)))]


def test_the_same_promo_code_cannot_be_applied_twice() -> None:
    """Applying a code already applied is refused."""
    account = paid_account()
    account.apply_promo_code("WELCOME10", 10, START)
    with pytest.raises(RuleViolationError, match="already applied"):
        account.apply_promo_code("WELCOME10", 10, START)


def test_a_trial_cannot_apply_a_promo_code() -> None:
    """Promo codes need a paid plan."""
    with pytest.raises(RuleViolationError):
        trial_account().apply_promo_code("WELCOME10", 10, START)
