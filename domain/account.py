"""The Account aggregate: plan, trial, billing period, add-ons and subaccount seats.

Command methods check the rules and return the charges they cause; the ledger records those
(see ``domain.ledger``). Methods decorated with ``@event`` only change state: they also run on
replay, so they never check anything.

Subaccount seats live here (bought packages and which subaccount holds each); the subaccount
itself is its own aggregate, ``domain.subaccount.Subaccount``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.cards import without_card_number
from domain.charges import Charge, check_add_on, effective_limits, period_charges
from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, LimitExceededError, RuleViolationError
from domain.money import Money, add_months, prorate
from domain.plans import (
    ADD_ON_MONTHLY_PRICE,
    EXTRA_SEATS_PLANS,
    TRIAL_DAYS,
    AddOn,
    BillingCycle,
    Limits,
    Plan,
    package_price,
    plan_by_id,
)


class Status(StrEnum):
    """Where an account is in its life."""

    TRIAL = "trial"
    TRIAL_EXPIRED = "trial_expired"
    ACTIVE = "active"
    PAST_DUE = "past_due"  # a renewal payment was declined; the balance is negative
    CANCELLED = "cancelled"  # usable until the end of the paid period, then closed
    CLOSED = "closed"


USABLE = frozenset({Status.TRIAL, Status.ACTIVE, Status.PAST_DUE, Status.CANCELLED})
PAYING = frozenset({Status.ACTIVE, Status.PAST_DUE})


class Account(CheapCopy, Aggregate):
    """One customer of Podium and its subscription.

    Snapshot state version 2 added ``anchor_day`` and typed enums; version 3 took the card
    number out of the payment method's token and added its last4 and brand. Older snapshots
    are upcast.
    """

    class_version = 3

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        start = state.get("period_start")
        state["anchor_day"] = start.day if start is not None else None
        state["status"] = Status(state["status"])
        for name in ("cycle", "scheduled_cycle"):
            if state.get(name) is not None:
                state[name] = BillingCycle(state[name])

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        if state.get("payment_method") is not None:
            state["payment_method"] = without_card_number(state["payment_method"])

    class Opened(Aggregate.Created):
        """Version 2 added ``nonprofit``; version-1 accounts were never nonprofit."""

        class_version = 2
        name: str
        owner_email: str
        at: datetime
        nonprofit: bool

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["nonprofit"] = False

    @event(Opened)
    def __init__(self, name: str, owner_email: str, at: datetime, nonprofit: bool = False) -> None:
        self.name = name
        self.owner_email = owner_email
        self.nonprofit = nonprofit
        self.opened_at = at
        self.status = Status.TRIAL
        self.trial_ends: datetime | None = at + timedelta(days=TRIAL_DAYS)
        self.plan_id: str | None = None
        self.cycle: BillingCycle | None = None
        self.period_start: datetime | None = None
        self.period_end: datetime | None = None
        self.anchor_day: int | None = None  # the day of month periods renew on
        self.scheduled_plan_id: str | None = None
        self.scheduled_cycle: BillingCycle | None = None
        self.promo_codes: dict[str, int] = {}
        self.add_ons: dict[str, int] = {}
        self.packages: dict[str, int] = {}  # subaccount package size -> quantity bought
        self.subaccounts: dict[str, int] = {}  # subaccount id -> package size
        self.cancelling_subaccounts: list[str] = []
        self.ends_at: datetime | None = None
        # kind, token, label, last4, brand: never a card number
        self.payment_method: dict[str, str] | None = None

    # ---- reading -------------------------------------------------------------------------

    @property
    def plan(self) -> Plan | None:
        return plan_by_id(self.plan_id) if self.plan_id else None

    def limits(self) -> Limits:
        """What this account may use now: the plan's limits (or the trial's) plus add-ons."""
        return effective_limits(self.plan, self.add_ons)

    def is_usable(self, at: datetime) -> bool:
        if self.status == Status.TRIAL:
            return self.trial_ends is None or at < self.trial_ends
        return self.status in USABLE

    def free_seats(self, size: int) -> int:
        taken = sum(1 for s in self.subaccounts.values() if s == size)
        return self.packages.get(str(size), 0) - taken

    def recurring_charges(self) -> list[Charge]:
        """What one full period costs on the current plan, add-ons and packages."""
        plan = self._require_plan()
        cycle, _, _ = self._period()
        owned = {
            "promo_codes": self.promo_codes,
            "add_ons": self.add_ons,
            "packages": self.packages,
        }
        return period_charges(plan, cycle, nonprofit=self.nonprofit, **owned)

    def set_payment_method(
        self, kind: str, token: str, label: str, at: datetime, last4: str = "", brand: str = ""
    ) -> None:
        """Keep the gateway's token for a card or PayPal account; charges go to it. What is
        kept of a card is the token, its last four digits and brand: never its number."""
        self._payment_method_set(kind, token, label, last4, brand, at)

    class PaymentMethodSet(Aggregate.Event):
        """Version 2 added ``last4`` and ``brand``; version-1 tokens of the sandbox gateway
        embedded the card number (``sandbox_card_4242...``), so the upcaster takes it out."""

        class_version = 2
        kind: str
        token: str
        label: str
        last4: str
        brand: str
        at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(without_card_number(state))

    @event(PaymentMethodSet)
    def _payment_method_set(
        self, kind: str, token: str, label: str, last4: str, brand: str, at: datetime
    ) -> None:
        self.payment_method = {
            "kind": kind,
            "token": token,
            "label": label,
            "last4": last4,
            "brand": brand,
        }

    # ---- the subscription ----------------------------------------------------------------

    def subscribe(self, plan: Plan, cycle: BillingCycle, at: datetime) -> list[Charge]:
        """Convert a trial (running or expired) to ``plan``; its first period starts now."""
        if self.status not in (Status.TRIAL, Status.TRIAL_EXPIRED):
            raise RuleViolationError(
                f"the account is {self.status}; only a trial converts to a paid plan "
                "(use upgrade or downgrade to change plan)"
            )
        self._subscribed(plan.id, cycle, at, add_months(at, cycle.months))
        return self.recurring_charges()

    @event("Subscribed")
    def _subscribed(
        self, plan_id: str, cycle: BillingCycle, period_start: datetime, period_end: datetime
    ) -> None:
        self.plan_id, self.cycle = plan_id, BillingCycle(cycle)
        self.period_start, self.period_end = period_start, period_end
        self.anchor_day = period_start.day
        self.status, self.trial_ends = Status.ACTIVE, None

    def upgrade(self, plan: Plan, at: datetime) -> list[Charge]:
        """Move to a larger plan at once, charged the difference for the rest of the period."""
        current = self._require_paying()
        if plan.limits.max_attendees <= current.limits.max_attendees:
            raise RuleViolationError(
                f"{plan.name} is not larger than {current.name}; "
                "smaller plans are a downgrade, effective from the next period"
            )
        cycle, start, end = self._period()
        difference = plan.price(cycle, nonprofit=self.nonprofit) - current.price(
            cycle, nonprofit=self.nonprofit
        )
        charge = prorate(difference, start.date(), end.date(), at.date())  # rounded once
        self._upgraded(plan.id, at)
        return [Charge("proration", charge, f"upgrade {current.name} to {plan.name}, prorated")]

    @event("Upgraded")
    def _upgraded(self, plan_id: str, at: datetime) -> None:
        """An upgrade supersedes any downgrade scheduled before it."""
        self.plan_id = plan_id
        self.scheduled_plan_id = self.scheduled_cycle = None

    def downgrade(self, plan: Plan, cycle: BillingCycle, at: datetime) -> datetime:
        """Schedule a smaller plan (or a shorter cycle) from the next period; voids promo codes.

        Returns when it takes effect. A paid plan never goes back to the free trial.
        """
        current = self._require_paying()
        smaller = plan.limits.max_attendees < current.limits.max_attendees
        larger = plan.limits.max_attendees > current.limits.max_attendees
        shorter = cycle.months < (self.cycle or cycle).months
        if larger or not (smaller or shorter):
            raise RuleViolationError(
                f"{plan.name} ({cycle}) is not a downgrade from {current.name} ({self.cycle}); "
                "larger plans are an upgrade, effective at once"
            )
        _, _, end = self._period()
        self._downgrade_scheduled(plan.id, cycle, end, at)
        return end

    @event("DowngradeScheduled")
    def _downgrade_scheduled(
        self, plan_id: str, cycle: BillingCycle, effective: datetime, at: datetime
    ) -> None:
        self.scheduled_plan_id, self.scheduled_cycle = plan_id, BillingCycle(cycle)
        self.promo_codes = {}

    def apply_promo_code(self, code: str, percent_off: int, at: datetime) -> None:
        """Take ``percent_off`` off renewals until a downgrade voids it."""
        self._require_paying()
        if code in self.promo_codes:
            raise RuleViolationError(f"promo code {code} is already applied")
        self._promo_code_applied(code, percent_off, at)

    @event("PromoCodeApplied")
    def _promo_code_applied(self, code: str, percent_off: int, at: datetime) -> None:
        self.promo_codes[code] = percent_off

    def cancel(self, at: datetime) -> None:
        """Cancel: no refund; a paid account stays usable to the end of its period."""
        if self.status in (Status.TRIAL, Status.TRIAL_EXPIRED):
            self._closed(at)
            return
        if self.status not in PAYING:
            raise RuleViolationError(f"the account is {self.status} and cannot be cancelled")
        self._cancelled(self._period()[2], at)

    @event("Cancelled")
    def _cancelled(self, ends_at: datetime, at: datetime) -> None:
        self.status, self.ends_at = Status.CANCELLED, ends_at
        self.scheduled_plan_id = self.scheduled_cycle = None

    @event("Closed")
    def _closed(self, at: datetime) -> None:
        self.status = Status.CLOSED

    def is_due(self, at: datetime) -> bool:
        """Whether time has moved past something the scheduler must act on."""
        if self.status == Status.TRIAL:
            return self.trial_ends is not None and self.trial_ends <= at
        if self.status in PAYING or self.status == Status.CANCELLED:
            return self.period_end is not None and self.period_end <= at
        return False

    def renew(self, at: datetime) -> list[Charge]:
        """Start the next period (applying a scheduled downgrade) and return its charges.

        A cancelled account closes instead; an expired trial stops being usable. Not yet due:
        nothing happens and nothing is charged, so a repeated run is harmless.
        """
        if not self.is_due(at):
            return []
        if self.status == Status.TRIAL:
            self._trial_expired(at)
            return []
        if self.status == Status.CANCELLED:
            self._closed(at)
            return []
        current_cycle, _, start = self._period()
        plan_id = self.scheduled_plan_id or self._require_plan().id
        cycle = self.scheduled_cycle or current_cycle
        # Periods keep the subscription's day: opened on 31 January, renewed on 28 February,
        # then on 31 March again.
        end = add_months(start, cycle.months, self.anchor_day)
        dropped = (
            []
            if plan_id in EXTRA_SEATS_PLANS
            else [a for a in self.add_ons if a == AddOn.EXTRA_SEATS]
        )
        self._renewed(plan_id, cycle, start, end, list(self.cancelling_subaccounts), at, dropped)
        return self.recurring_charges()

    @event("TrialExpired")
    def _trial_expired(self, at: datetime) -> None:
        self.status = Status.TRIAL_EXPIRED

    @event("Renewed")
    def _renewed(
        self,
        plan_id: str,
        cycle: BillingCycle,
        period_start: datetime,
        period_end: datetime,
        ended_subaccounts: list[str],
        at: datetime,
        dropped_add_ons: list[str] | None = None,
    ) -> None:
        """The cancelled subaccounts' packages go with the period they were paid for, and
        add-ons the new plan cannot have (200 seats off the 100/500 plans) with it."""
        for add_on in dropped_add_ons or ():
            self.add_ons.pop(add_on, None)
        self.plan_id, self.cycle = plan_id, BillingCycle(cycle)
        self.period_start, self.period_end = period_start, period_end
        self.scheduled_plan_id = self.scheduled_cycle = None
        for sub_id in ended_subaccounts:
            size = str(self.subaccounts.pop(sub_id))
            self.packages[size] -= 1
        self.cancelling_subaccounts = []

    def record_payment_outcome(self, paid: bool, at: datetime) -> None:
        """A paying account whose charge was declined is past due until it is paid."""
        if not paid and self.status == Status.ACTIVE:
            self._payment_failed(at)
        elif paid and self.status == Status.PAST_DUE:
            self._payment_settled(at)

    @event("PaymentFailed")
    def _payment_failed(self, at: datetime) -> None:
        self.status = Status.PAST_DUE

    @event("PaymentSettled")
    def _payment_settled(self, at: datetime) -> None:
        self.status = Status.ACTIVE

    # ---- helpers -------------------------------------------------------------------------

    def _require_paying(self) -> Plan:
        if self.status not in PAYING or self.plan is None:
            raise RuleViolationError(
                f"the account is {self.status}; this needs an active paid plan"
                + (" (subscribe first)" if self.status == Status.TRIAL else "")
            )
        return self.plan

    def _require_plan(self) -> Plan:
        if self.plan is None:
            raise RuleViolationError("the account has no paid plan")
        return self.plan

    def _period(self) -> tuple[BillingCycle, datetime, datetime]:
        """The current billing cycle and period; only paid accounts have one."""
        if self.cycle is None or self.period_start is None or self.period_end is None:
            raise RuleViolationError("the account has no billing period (it is on the trial)")
        return BillingCycle(self.cycle), self.period_start, self.period_end

    def _prorated(self, monthly: Money, at: datetime) -> Money:
        cycle, start, end = self._period()
        return prorate(monthly.times(cycle.months), start.date(), end.date(), at.date())

    # ---- add-ons -------------------------------------------------------------------------

    def buy_add_on(self, add_on: AddOn, quantity: int, at: datetime) -> list[Charge]:
        """Buy ``quantity`` more of an add-on, charged prorated for the rest of the period."""
        plan = self._require_paying()
        check_add_on(plan, add_on, self.add_ons.get(add_on, 0), quantity)
        self._add_on_bought(add_on.value, quantity, at)
        amount = self._prorated(ADD_ON_MONTHLY_PRICE[add_on].times(quantity), at)
        return [Charge("add_on", amount, f"add-on {add_on} x{quantity}, prorated")]

    @event("AddOnBought")
    def _add_on_bought(self, add_on: str, quantity: int, at: datetime) -> None:
        self.add_ons[add_on] = self.add_ons.get(add_on, 0) + quantity

    # ---- subaccount seats (on the parent) ------------------------------------------------

    def buy_packages(self, size: int, quantity: int, at: datetime) -> list[Charge]:
        """Buy subaccount packages: prorated for the days left, then the monthly rate."""
        self._require_paying()
        if quantity < 1:
            raise InvalidRequestError("quantity must be at least 1")
        monthly = package_price(size).times(quantity)
        self._packages_bought(size, quantity, at)
        amount = self._prorated(monthly, at)
        return [Charge("subaccounts", amount, f"{quantity} subaccount(s) of {size}, prorated")]

    @event("PackagesBought")
    def _packages_bought(self, size: int, quantity: int, at: datetime) -> None:
        self.packages[str(size)] = self.packages.get(str(size), 0) + quantity

    def assign_seat(self, subaccount_id: UUID, size: int) -> None:
        """Take one free package of ``size`` for a new subaccount."""
        self._require_paying()
        if self.free_seats(size) < 1:
            raise LimitExceededError(
                f"no free subaccount package of {size} attendees; buy one first"
            )
        self._seat_assigned(str(subaccount_id), size)

    @event("SeatAssigned")
    def _seat_assigned(self, subaccount_id: str, size: int) -> None:
        self.subaccounts[subaccount_id] = size

    def resize_seat(self, subaccount_id: UUID, size: int) -> None:
        """Move a subaccount to a free package of another size."""
        current = self._seat(subaccount_id)
        if current == size:
            raise RuleViolationError(f"the subaccount already has a package of {size}")
        if self.free_seats(size) < 1:
            raise LimitExceededError(f"no free subaccount package of {size} attendees")
        self._seat_assigned(str(subaccount_id), size)

    def release_seat(self, subaccount_id: UUID) -> None:
        """Free a deleted subaccount's package for reassignment (it is still paid for), unless
        the subaccount was cancelled: then its package goes too, as cancelling promised."""
        size = self._seat(subaccount_id)
        cancelled = str(subaccount_id) in self.cancelling_subaccounts
        self._seat_released(str(subaccount_id), size if cancelled else None)

    @event("SeatReleased")
    def _seat_released(self, subaccount_id: str, dropped_package: int | None = None) -> None:
        self.subaccounts.pop(subaccount_id, None)
        if subaccount_id in self.cancelling_subaccounts:
            self.cancelling_subaccounts.remove(subaccount_id)
        if dropped_package is not None:
            self.packages[str(dropped_package)] -= 1

    def cancel_seat(self, subaccount_id: UUID) -> datetime:
        """The package goes at the end of the period, no further charge. Returns that date."""
        self._seat(subaccount_id)
        if str(subaccount_id) in self.cancelling_subaccounts:
            raise RuleViolationError("the subaccount is already cancelled")
        _, _, end = self._period()
        self._seat_cancelled(str(subaccount_id))
        return end

    @event("SeatCancelled")
    def _seat_cancelled(self, subaccount_id: str) -> None:
        self.cancelling_subaccounts.append(subaccount_id)

    def _seat(self, subaccount_id: UUID) -> int:
        try:
            return self.subaccounts[str(subaccount_id)]
        except KeyError:
            raise RuleViolationError("that subaccount does not belong to this account") from None
