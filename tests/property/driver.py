"""Drive an Account through a random sequence of commands, as a customer and the clock might.

Each step is ``(operation, a, b)``: two small integers that pick a plan, a cycle, a size, a
subaccount or a number of days. Commands the rules refuse are skipped, as an API would answer 409.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar
from uuid import UUID

from hypothesis import strategies as st

from domain.account import Account
from domain.errors import DomainError
from domain.plans import PLANS, PROMO_CODES, SUBACCOUNT_PACKAGE_MONTHLY_PRICE, AddOn, BillingCycle

PLAN_IDS = sorted(PLANS, key=lambda plan_id: PLANS[plan_id].limits.max_attendees)
CYCLES = list(BillingCycle)
SIZES = sorted(SUBACCOUNT_PACKAGE_MONTHLY_PRICE)
ADD_ONS = list(AddOn)
CODES = sorted(PROMO_CODES)

OPERATIONS = (
    "advance",
    "subscribe",
    "upgrade",
    "downgrade",
    "promo",
    "add_on",
    "packages",
    "assign",
    "resize",
    "release",
    "cancel_seat",
    "cancel",
    "renew",
    "payment",
    "payment_method",
)

Step = tuple[str, int, int]
T = TypeVar("T")

# Weighted by repetition: most steps move time, buy things or renew; cancelling is rare, so
# scripts spend most of their length on a paid plan.
WEIGHTED = (
    ("advance",) * 5
    + ("renew",) * 4
    + ("assign",) * 3
    + ("packages", "add_on", "payment_method") * 2
    + tuple(op for op in OPERATIONS if op not in {"advance", "renew", "assign", "cancel"})
    + ("cancel",)
)
small = st.integers(min_value=0, max_value=7)
days = st.integers(min_value=0, max_value=40)

steps: st.SearchStrategy[Step] = st.tuples(st.sampled_from(WEIGHTED), small, days)

# Three scripts in four begin by subscribing; the rest stay on the trial for a while.
scripts: st.SearchStrategy[list[Step]] = st.builds(
    lambda first, rest: [first, *rest],
    st.tuples(st.sampled_from(["subscribe", "subscribe", "subscribe", "advance"]), small, days),
    st.lists(steps, min_size=30, max_size=120),
)


def pick(options: list[T], index: int) -> T:
    """``options[index]``, wrapping around."""
    return options[index % len(options)]


class Driver:
    """Applies steps to one account, keeping the clock and the subaccounts it assigned."""

    def __init__(self, account: Account, now: datetime) -> None:
        self.account = account
        self.now = now
        self.subaccounts: list[UUID] = []

    def step(self, step: Step) -> object:
        """Run one step; return what the command returned, or the DomainError it raised."""
        operation, a, b = step
        if operation == "advance":
            self.now += timedelta(days=b, hours=a)
            return None
        command = self._command(operation, a, b)
        try:
            return command()
        except DomainError as refused:
            return refused

    def _command(self, operation: str, a: int, b: int) -> Callable[[], object]:
        account, now = self.account, self.now
        if operation == "subscribe":
            return lambda: account.subscribe(PLANS[pick(PLAN_IDS, a)], pick(CYCLES, b), now)
        if operation == "upgrade":
            return lambda: account.upgrade(PLANS[pick(PLAN_IDS, a)], now)
        if operation == "downgrade":
            return lambda: account.downgrade(PLANS[pick(PLAN_IDS, a)], pick(CYCLES, b), now)
        if operation == "promo":
            code = pick(CODES, a)
            return lambda: account.apply_promo_code(code, PROMO_CODES[code], now)
        if operation == "add_on":
            return lambda: account.buy_add_on(pick(ADD_ONS, a), b % 3 + 1, now)
        if operation == "packages":
            return lambda: account.buy_packages(pick(SIZES, a), b % 3 + 1, now)
        if operation == "assign":
            return lambda: self._assign(pick(SIZES, a))
        if operation in ("resize", "release", "cancel_seat") and not self.subaccounts:
            return lambda: None
        if operation == "resize":
            return lambda: account.resize_seat(pick(self.subaccounts, b), pick(SIZES, a))
        if operation == "release":
            return lambda: account.release_seat(pick(self.subaccounts, b))
        if operation == "cancel_seat":
            return lambda: account.cancel_seat(pick(self.subaccounts, b))
        if operation == "cancel" and a != 0:
            return lambda: None  # cancelling ends the script's interest: keep it rare
        if operation == "cancel":
            return lambda: account.cancel(now)
        if operation == "renew":
            return lambda: account.renew(now)
        if operation == "payment":
            return lambda: account.record_payment_outcome(a % 2 == 0, now)
        if operation == "payment_method":
            return lambda: account.set_payment_method("card", f"tok_{a}_{b}", "Visa", now)
        raise AssertionError(f"unknown operation {operation}")

    def _assign(self, size: int) -> None:
        sub = UUID(int=len(self.subaccounts) + 1)
        self.account.assign_seat(sub, size)
        self.subaccounts.append(sub)
