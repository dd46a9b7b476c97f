"""The end of a billing period: cancelling, renewing, and what a payment's outcome does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.account import Account, Status
from domain.errors import RuleViolationError
from domain.money import Money
from domain.plans import BillingCycle, plan_by_id
from tests.unit.factories import (
    START,
    cancelled_account,
    closed_account,
    paid_account,
    past_due_account,
    trial_account,
)

MONTHLY = BillingCycle.MONTHLY
NOV_15 = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)  # one month after START
OCT_23 = datetime(2026, 10, 23, 14, 0, tzinfo=UTC)  # the help centre's purchase day


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
    """Setting a payment method keeps the gateway's kind, token, label, last4 and brand."""
    account = trial_account()
    account.set_payment_method("card", "tok_123", "Visa ending 4242", START, "4242", "visa")
    assert account.payment_method == {
        "kind": "card",
        "token": "tok_123",
        "label": "Visa ending 4242",
        "last4": "4242",
        "brand": "visa",
    }
