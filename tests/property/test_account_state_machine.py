"""A state machine over the Account: random commands and clock moves, invariants after each step."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import timedelta
from fractions import Fraction
from uuid import UUID

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from domain.account import Status
from domain.charges import Charge
from domain.errors import DomainError
from domain.money import Money
from domain.plans import MAX_EXTRA_CAMERA_FEEDS, PROMO_CODES, AddOn, BillingCycle, plan_by_id
from tests.property.driver import ADD_ONS, CYCLES, PLAN_IDS, SIZES
from tests.unit.factories import START, half_up, paid_account, trial_account

LEGAL = {
    Status.TRIAL: {Status.ACTIVE, Status.TRIAL_EXPIRED, Status.CLOSED},
    Status.TRIAL_EXPIRED: {Status.ACTIVE, Status.CLOSED},
    Status.ACTIVE: {Status.PAST_DUE, Status.CANCELLED},
    Status.PAST_DUE: {Status.ACTIVE, Status.CANCELLED},
    Status.CANCELLED: {Status.CLOSED},
    Status.CLOSED: set(),
}
PAID = {Status.ACTIVE, Status.PAST_DUE, Status.CANCELLED}

plans = st.sampled_from(PLAN_IDS)
cycles = st.sampled_from(CYCLES)
sizes = st.sampled_from(SIZES)
indexes = st.integers(min_value=0, max_value=50)


class AccountMachine(RuleBasedStateMachine):
    """One account, commanded at random while the clock moves forward."""

    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.account = trial_account(START)
        self.subaccounts: list[UUID] = []
        self.subscribed_day: int | None = None

    # ---- running a command and checking what every command must respect ---------------------

    def run(self, command: Callable[[], object]) -> object:
        """Run ``command``; a refusal must leave no event and no state change behind."""
        before = self.account.status
        before_period = (self.account.period_start, self.account.period_end)
        try:
            result = command()
        except DomainError:
            assert self.account.collect_events() == []
            assert self.account.status == before
            return None
        events = self.account.collect_events()
        after = self.account.status
        assert after == before or after in LEGAL[before], f"{before} -> {after}"
        if isinstance(result, list):
            charges: list[Charge] = result
            assert all(c.amount >= Money(0) for c in charges), charges
            if before == Status.CLOSED:
                assert charges == [], "a closed account was charged"
            if charges:
                assert events, "charged without recording anything"
        if before in PAID and (self.account.period_start, self.account.period_end) != before_period:
            # Periods only move forward, each starting where the last ended, on the day of the
            # month the subscription started (clamped to short months).
            assert self.account.period_start == before_period[1]
            end = self.account.period_end
            assert end is not None
            assert self.subscribed_day is not None
            last_day = calendar.monthrange(end.year, end.month)[1]
            assert end.day == min(self.subscribed_day, last_day)
        if before in (Status.TRIAL, Status.TRIAL_EXPIRED) and after == Status.ACTIVE:
            assert self.account.period_start == self.now
            self.subscribed_day = self.now.day
        return result

    # ---- rules -------------------------------------------------------------------------------

    @rule(days=st.integers(min_value=0, max_value=45), hours=st.integers(min_value=0, max_value=23))
    def advance(self, days: int, hours: int) -> None:
        self.now += timedelta(days=days, hours=hours)

    @rule(plan=plans, cycle=cycles)
    def subscribe(self, plan: str, cycle: BillingCycle) -> None:
        was_trial = self.account.status in (Status.TRIAL, Status.TRIAL_EXPIRED)
        result = self.run(lambda: self.account.subscribe(plan_by_id(plan), cycle, self.now))
        assert (result is not None) == was_trial, "subscribe is for trials, and only for them"

    @rule(plan=plans)
    def upgrade(self, plan: str) -> None:
        old = self.account.plan
        cycle, start, end = self.account.cycle, self.account.period_start, self.account.period_end
        result = self.run(lambda: self.account.upgrade(plan_by_id(plan), self.now))
        if isinstance(result, list) and old and cycle and start and end:
            [charge] = result
            new = plan_by_id(plan)
            assert new.limits.max_attendees > old.limits.max_attendees
            nonprofit = self.account.nonprofit
            difference = (
                new.price(BillingCycle(cycle), nonprofit=nonprofit).amount
                - old.price(BillingCycle(cycle), nonprofit=nonprofit).amount
            )
            total = (end.date() - start.date()).days
            left = min(max((end.date() - self.now.date()).days, 0), total)
            exact = Fraction(difference * left, total)
            # The difference, prorated once and rounded half-up.
            assert charge.amount == Money(half_up(exact))

    @rule(plan=plans, cycle=cycles)
    def downgrade(self, plan: str, cycle: BillingCycle) -> None:
        end = self.account.period_end
        result = self.run(lambda: self.account.downgrade(plan_by_id(plan), cycle, self.now))
        if result is not None:
            assert result == end
            assert self.account.promo_codes == {}

    @rule(code=st.sampled_from(sorted(PROMO_CODES)))
    def promo(self, code: str) -> None:
        self.run(lambda: self.account.apply_promo_code(code, PROMO_CODES[code], self.now))

    @rule(add_on=st.sampled_from(ADD_ONS), quantity=st.integers(min_value=1, max_value=3))
    def buy_add_on(self, add_on: AddOn, quantity: int) -> None:
        self.run(lambda: self.account.buy_add_on(add_on, quantity, self.now))

    @rule(size=sizes, quantity=st.integers(min_value=1, max_value=3))
    def buy_packages(self, size: int, quantity: int) -> None:
        self.run(lambda: self.account.buy_packages(size, quantity, self.now))

    @rule(size=sizes)
    def assign_seat(self, size: int) -> None:
        sub = UUID(int=len(self.subaccounts) + 1)
        free = self.account.free_seats(size)
        self.run(lambda: self.account.assign_seat(sub, size))
        if str(sub) in self.account.subaccounts:
            self.subaccounts.append(sub)
            assert self.account.free_seats(size) == free - 1

    @rule(index=indexes, size=sizes)
    def resize_seat(self, index: int, size: int) -> None:
        if self.subaccounts:
            sub = self.subaccounts[index % len(self.subaccounts)]
            self.run(lambda: self.account.resize_seat(sub, size))

    @rule(index=indexes)
    def release_seat(self, index: int) -> None:
        if self.subaccounts:
            sub = self.subaccounts[index % len(self.subaccounts)]
            self.run(lambda: self.account.release_seat(sub))
            assert str(sub) not in self.account.subaccounts

    @rule(index=indexes)
    def cancel_seat(self, index: int) -> None:
        if self.subaccounts:
            sub = self.subaccounts[index % len(self.subaccounts)]
            self.run(lambda: self.account.cancel_seat(sub))

    @rule()
    def cancel(self) -> None:
        self.run(lambda: self.account.cancel(self.now))

    @rule()
    def renew(self) -> None:
        due = self.account.is_due(self.now)
        status = self.account.status
        charges = self.run(lambda: self.account.renew(self.now))
        if not due:
            assert charges == [], "renewed before it was due"
        elif status in (Status.ACTIVE, Status.PAST_DUE):
            assert isinstance(charges, list)
            assert charges
            assert charges[0].kind == "plan"
        else:
            assert charges == []

    @rule()
    def renew_twice(self) -> None:
        """Renewing again at the same instant, once nothing is due, charges nothing."""
        self.run(lambda: self.account.renew(self.now))
        while self.account.is_due(self.now):
            self.run(lambda: self.account.renew(self.now))
        assert self.run(lambda: self.account.renew(self.now)) == []

    @rule(paid=st.booleans())
    def payment_outcome(self, paid: bool) -> None:
        self.run(lambda: self.account.record_payment_outcome(paid, self.now))

    # ---- invariants --------------------------------------------------------------------------

    @invariant()
    def free_seats_never_negative(self) -> None:
        for size in SIZES:
            assert self.account.free_seats(size) >= 0
        assert all(quantity >= 0 for quantity in self.account.packages.values())

    @invariant()
    def add_ons_within_their_caps(self) -> None:
        add_ons = self.account.add_ons
        assert add_ons.get(AddOn.CAMERA_FEED, 0) <= MAX_EXTRA_CAMERA_FEEDS
        assert add_ons.get(AddOn.EXTRA_SEATS, 0) <= 1
        assert self.account.limits().camera_feeds <= 4 + MAX_EXTRA_CAMERA_FEEDS

    @invariant()
    def cancelled_seats_are_held_seats(self) -> None:
        held = set(self.account.subaccounts)
        assert set(self.account.cancelling_subaccounts) <= held
        assert len(set(self.account.cancelling_subaccounts)) == len(
            self.account.cancelling_subaccounts
        )

    @invariant()
    def paid_accounts_have_a_plan_and_a_period(self) -> None:
        account = self.account
        if account.status in PAID:
            assert account.plan is not None
            assert account.period_start is not None
            assert account.period_end is not None
            assert account.period_start < account.period_end
        if account.status in (Status.TRIAL, Status.TRIAL_EXPIRED):
            assert account.plan is None
            assert account.add_ons == {}
            assert account.packages == {}

    @invariant()
    def closed_accounts_stay_closed_and_owe_no_renewal(self) -> None:
        if self.account.status == Status.CLOSED:
            assert not self.account.is_due(self.now + timedelta(days=3650))
            assert not self.account.is_usable(self.now)


def test_account_state_machine_from_a_trial() -> None:
    """Any sequence of commands from a trial keeps seats, add-ons, statuses and charges legal."""
    run_state_machine_as_test(
        AccountMachine,
        settings=settings(max_examples=60, stateful_step_count=40, deadline=None),
    )


class PaidAccountMachine(AccountMachine):
    """The same machine, starting on a paid monthly plan."""

    def __init__(self) -> None:
        super().__init__()
        self.account = paid_account("live-100", BillingCycle.MONTHLY, START)
        self.subscribed_day = START.day


def test_account_state_machine_from_a_paid_plan() -> None:
    """Starting paid, the same invariants hold through upgrades, seats, renewals and cancels."""
    run_state_machine_as_test(
        PaidAccountMachine,
        settings=settings(max_examples=60, stateful_step_count=40, deadline=None),
    )
