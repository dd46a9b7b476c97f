"""The Account's subscription life: trial, subscribe, upgrade, downgrade, cancel, renew, payment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from domain.account import Account, Status
from domain.errors import RuleViolationError
from domain.money import Money
from domain.plans import TRIAL_LIMITS, BillingCycle, plan_by_id
from tests.unit.factories import START, half_up, paid_account, trial_account

MONTHLY, ANNUAL = BillingCycle.MONTHLY, BillingCycle.ANNUAL
NOV_15 = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)  # one month after START
OCT_23 = datetime(2026, 10, 23, 14, 0, tzinfo=UTC)  # the help centre's purchase day


def past_due_account() -> Account:
    account = paid_account()
    account.record_payment_outcome(False, START)
    account.collect_events()
    return account


def cancelled_account() -> Account:
    account = paid_account()
    account.cancel(START)
    account.collect_events()
    return account


def closed_account() -> Account:
    account = trial_account()
    account.cancel(START)
    account.collect_events()
    return account


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


# ---- cancel -----------------------------------------------------------------------------------


@pytest.mark.parametrize("expired", [False, True])
def test_cancelling_a_trial_closes_it_now(expired: bool) -> None:
    """A running or expired trial closes at once and is no longer usable."""
    account = trial_account()
    if expired:
        account.renew(START + timedelta(days=30))
    account.cancel(START + timedelta(days=31))
    assert account.status == Status.CLOSED
    assert not account.is_usable(START + timedelta(days=31))


def test_cancelling_a_paid_plan_keeps_it_usable_to_the_period_end() -> None:
    """A cancelled paid account stays usable until its period ends, with nothing refunded."""
    account = paid_account()
    account.cancel(OCT_23)
    assert account.status == Status.CANCELLED
    assert account.ends_at == NOV_15
    assert account.is_usable(NOV_15 - timedelta(seconds=1))


def test_a_cancelled_account_closes_at_the_period_end_without_charge() -> None:
    """Renewing a cancelled account at its end closes it and charges nothing, then or later."""
    account = cancelled_account()
    assert account.renew(NOV_15) == []
    assert account.status == Status.CLOSED
    assert not account.is_usable(NOV_15)
    later = NOV_15 + timedelta(days=60)
    assert account.renew(later) == []
    assert not account.is_due(later)


def test_cancelling_voids_a_scheduled_downgrade() -> None:
    """A cancellation drops a scheduled downgrade; the account closes instead of renewing."""
    account = paid_account("live-200")
    account.downgrade(plan_by_id("live-50"), MONTHLY, OCT_23)
    account.cancel(OCT_23)
    assert account.scheduled_plan_id is None


@pytest.mark.parametrize("make", [cancelled_account, closed_account])
def test_cancel_twice_is_refused(make: Callable[[], Account]) -> None:
    """A cancelled or closed account cannot be cancelled again."""
    account: Account = make()
    with pytest.raises(RuleViolationError, match="cannot be cancelled"):
        account.cancel(OCT_23)


def test_a_past_due_account_can_cancel() -> None:
    """A past-due account may cancel; it is then cancelled to the period end."""
    account = past_due_account()
    account.cancel(OCT_23)
    assert account.status == Status.CANCELLED
    assert account.ends_at == NOV_15


# ---- renew ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "at", [START, OCT_23, NOV_15 - timedelta(microseconds=1)], ids=["start", "mid", "last-instant"]
)
def test_renew_before_due_does_nothing(at: datetime) -> None:
    """Before the period ends renew returns no charges and records no event."""
    account = paid_account()
    assert not account.is_due(at)
    assert account.renew(at) == []
    assert account.collect_events() == []
    assert account.period_end == NOV_15


def test_renew_when_due_starts_the_next_period_and_charges_it() -> None:
    """At the period end the next period follows on directly and is charged in full."""
    account = paid_account("live-150")
    assert account.is_due(NOV_15)
    charges = account.renew(NOV_15 + timedelta(hours=2))
    assert account.period_start == NOV_15
    assert account.period_end == datetime(2026, 12, 15, 9, 0, tzinfo=UTC)
    assert [(c.kind, c.amount) for c in charges] == [("plan", Money(9500))]
    assert account.renew(NOV_15 + timedelta(hours=3)) == []


def test_a_late_renewal_catches_up_one_period_at_a_time() -> None:
    """Renewing two periods late renews the missed period, then the current one on the next run."""
    account = paid_account()
    late = datetime(2027, 1, 2, tzinfo=UTC)
    account.renew(late)
    assert account.period_end == datetime(2026, 12, 15, 9, 0, tzinfo=UTC)
    account.renew(late)
    assert account.period_end == datetime(2027, 1, 15, 9, 0, tzinfo=UTC)
    assert account.renew(late) == []


def test_renewals_keep_the_subscription_day_after_a_short_month() -> None:
    """Subscribed on 31 January: periods end 28 February, then 31 March, then 30 April."""
    jan_31 = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)
    account = paid_account("live-25", at=jan_31)
    assert account.period_end == datetime(2027, 2, 28, 9, 0, tzinfo=UTC)
    account.renew(datetime(2027, 2, 28, 9, 0, tzinfo=UTC))
    assert account.period_end == datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
    assert account.period_end is not None
    account.renew(account.period_end)
    assert account.period_end == datetime(2027, 4, 30, 9, 0, tzinfo=UTC)


def test_period_lengths_follow_the_calendar() -> None:
    """A monthly period opened on 15 January 2028 lasts 31 days, the next 29 (leap February)."""
    account = paid_account(at=datetime(2028, 1, 15, tzinfo=UTC))
    assert account.period_end is not None
    assert account.period_start is not None
    assert (account.period_end.date() - account.period_start.date()).days == 31
    account.renew(account.period_end)
    assert account.period_end.date() == date(2028, 3, 15)
    assert (account.period_end.date() - account.period_start.date()).days == 29


# ---- payment outcome --------------------------------------------------------------------------


def test_a_declined_payment_makes_an_active_account_past_due() -> None:
    """A failed charge turns an active account past due; still usable and still renewing."""
    account = paid_account()
    account.record_payment_outcome(False, OCT_23)
    assert account.status == Status.PAST_DUE
    assert account.is_usable(OCT_23)
    assert account.is_due(NOV_15)


def test_a_settled_payment_makes_a_past_due_account_active() -> None:
    """Paying what was owed returns a past-due account to active."""
    account = past_due_account()
    account.record_payment_outcome(True, OCT_23)
    assert account.status == Status.ACTIVE


@pytest.mark.parametrize(
    ("make", "paid"),
    [
        (trial_account, False),
        (paid_account, True),
        (past_due_account, False),
        (cancelled_account, False),
        (closed_account, True),
    ],
)
def test_payment_outcome_changes_nothing_elsewhere(make: Callable[[], Account], paid: bool) -> None:
    """Outcomes that do not move active <-> past due record no event."""
    account: Account = make()
    before = account.status
    account.record_payment_outcome(paid, OCT_23)
    assert account.status == before
    assert account.collect_events() == []


def test_payment_method_is_kept_without_a_card_number() -> None:
    """Setting a payment method keeps the gateway's kind, token and label."""
    account = trial_account()
    account.set_payment_method("card", "tok_123", "Visa ending 4242", START)
    assert account.payment_method == {
        "kind": "card",
        "token": "tok_123",
        "label": "Visa ending 4242",
    }
