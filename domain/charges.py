"""What a period of a subscription costs, and what an account may use: pricing policy as functions.

Kept apart from the Account aggregate so the state machine stays small and these rules can be
tested (and reused by the audit) on plain values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.errors import InvalidRequestError, LimitExceededError, RuleViolationError
from domain.money import Money
from domain.plans import (
    ADD_ON_MONTHLY_PRICE,
    EXTRA_SEATS_BLOCK,
    EXTRA_SEATS_PLANS,
    MAX_EXTRA_CAMERA_FEEDS,
    STORAGE_ADD_ON_MB,
    TRIAL_LIMITS,
    AddOn,
    BillingCycle,
    Limits,
    Plan,
    package_price,
)


@dataclass(frozen=True)
class Charge:
    """Money an account owes for something a command did."""

    kind: str
    amount: Money
    description: str


def effective_limits(plan: Plan | None, add_ons: Mapping[str, int]) -> Limits:
    """What an account may use: its plan's limits (the trial's without one) plus add-ons."""
    if plan is None:
        return TRIAL_LIMITS
    base = plan.limits
    extra = add_ons.get
    return Limits(
        max_attendees=base.max_attendees + EXTRA_SEATS_BLOCK * extra(AddOn.EXTRA_SEATS, 0),
        max_meeting_attendees=base.max_meeting_attendees,
        presenters=base.presenters,
        camera_feeds=base.camera_feeds + extra(AddOn.CAMERA_FEED, 0),
        recording_minutes=base.recording_minutes,
        storage_mb=base.storage_mb + STORAGE_ADD_ON_MB * extra(AddOn.STORAGE, 0),
        room_sessions=base.room_sessions + extra(AddOn.ROOM_SESSION, 0),
    )


def check_add_on(plan: Plan, add_on: AddOn, owned: int, quantity: int) -> None:
    """Refuse an add-on purchase the catalogue does not allow, saying why."""
    if quantity < 1:
        raise InvalidRequestError("quantity must be at least 1")
    if add_on is AddOn.CAMERA_FEED and owned + quantity > MAX_EXTRA_CAMERA_FEEDS:
        raise LimitExceededError(
            f"at most {MAX_EXTRA_CAMERA_FEEDS} extra camera feeds can be added ({owned} already)"
        )
    if add_on is AddOn.EXTRA_SEATS and plan.id not in EXTRA_SEATS_PLANS:
        raise RuleViolationError(
            "200 more seats can only be added to the 100 or 500 attendee package"
        )
    if add_on is AddOn.EXTRA_SEATS and owned + quantity > 1:
        raise LimitExceededError("the 200-seat add-on can be bought once per account")


def period_charges(
    plan: Plan,
    cycle: BillingCycle,
    *,
    nonprofit: bool,
    promo_codes: Mapping[str, int],
    add_ons: Mapping[str, int],
    packages: Mapping[str, int],
) -> list[Charge]:
    """One full period: the plan (less the best promo code), each add-on, each package size."""
    price = plan.price(cycle, nonprofit=nonprofit)
    if promo_codes:
        price = price.times(100 - max(promo_codes.values()), 100)
    charges = [Charge("plan", price, f"{plan.name}, {cycle} subscription")]
    for add_on, quantity in sorted(add_ons.items()):
        amount = ADD_ON_MONTHLY_PRICE[AddOn(add_on)].times(quantity * cycle.months)
        charges.append(Charge("add_on", amount, f"add-on {add_on} x{quantity}"))
    for size, quantity in sorted(packages.items(), key=lambda item: int(item[0])):
        if quantity:
            amount = package_price(int(size)).times(quantity * cycle.months)
            charges.append(Charge("subaccounts", amount, f"{quantity} subaccount(s) of {size}"))
    return charges
