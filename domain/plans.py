"""The plan catalogue: prices by attendee count, what each plan allows, and the add-on price list.

Plans are data. The API exposes them as they are here ("which plan am I on, what does it allow").
Prices are monthly, in cents; an annual plan costs twelve months less 20%; nonprofits get 30% off.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from domain.errors import InvalidRequestError
from domain.money import Money

TRIAL_DAYS = 30
ANNUAL_DISCOUNT_PERCENT = 20
NONPROFIT_DISCOUNT_PERCENT = 30
BASE_CAMERA_FEEDS = 4
MAX_EXTRA_CAMERA_FEEDS = 3
EXTRA_SEATS_BLOCK = 200
EXTRA_SEATS_PLANS = frozenset({"live-100", "live-500"})


class UnknownPlanError(InvalidRequestError):
    """A plan, package or add-on id that is not in the catalogue."""


class BillingCycle(StrEnum):
    """How often a paid plan renews."""

    MONTHLY = "monthly"
    ANNUAL = "annual"

    @property
    def months(self) -> int:
        return 12 if self == BillingCycle.ANNUAL else 1


@dataclass(frozen=True)
class Limits:
    """What an account may use at once. Meetings are capped separately from webinars."""

    max_attendees: int
    max_meeting_attendees: int
    presenters: int
    camera_feeds: int
    recording_minutes: int
    storage_mb: int
    room_sessions: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass(frozen=True)
class Plan:
    """A paid plan, named by the largest audience it allows at one event."""

    id: str
    name: str
    monthly_price: Money
    limits: Limits

    def price(self, cycle: BillingCycle, *, nonprofit: bool = False) -> Money:
        """The price of one period of this plan on ``cycle``."""
        price = self.monthly_price.times(cycle.months)
        if cycle == BillingCycle.ANNUAL:
            price = price.times(100 - ANNUAL_DISCOUNT_PERCENT, 100)
        if nonprofit:
            price = price.times(100 - NONPROFIT_DISCOUNT_PERCENT, 100)
        return price

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "monthly_price": self.monthly_price.amount,
            "annual_price": self.price(BillingCycle.ANNUAL).amount,
            "currency": self.monthly_price.currency,
            "limits": self.limits.as_dict(),
        }


def _plan(attendees: int, dollars: int, presenters: int, storage: int, recording: int) -> Plan:
    return Plan(
        id=f"live-{attendees}",
        name=f"Live {attendees}",
        monthly_price=Money(dollars * 100),
        limits=Limits(
            max_attendees=attendees,
            max_meeting_attendees=25,
            presenters=presenters,
            camera_feeds=BASE_CAMERA_FEEDS,
            recording_minutes=recording,
            storage_mb=storage,
            room_sessions=1,
        ),
    )


PLANS: dict[str, Plan] = {
    plan.id: plan
    for plan in (
        _plan(25, 30, 2, 128, 360),
        _plan(50, 48, 3, 256, 600),
        _plan(100, 79, 4, 512, 1200),
        _plan(150, 95, 4, 512, 1200),
        _plan(200, 119, 4, 1024, 1800),
        _plan(500, 245, 4, 1024, 1800),
        _plan(1000, 405, 4, 1024, 3000),
    )
}

TRIAL_LIMITS = Limits(
    max_attendees=25,
    max_meeting_attendees=5,
    presenters=2,
    camera_feeds=BASE_CAMERA_FEEDS,
    recording_minutes=30,
    storage_mb=64,
    room_sessions=1,
)


class AddOn(StrEnum):
    """Things bought on top of a plan, each a monthly ledger charge."""

    CAMERA_FEED = "camera_feed"
    ROOM_SESSION = "room_session"
    STORAGE = "storage"
    EXTRA_SEATS = "extra_seats"


ADD_ON_MONTHLY_PRICE: dict[AddOn, Money] = {
    AddOn.CAMERA_FEED: Money(1000),
    AddOn.ROOM_SESSION: Money(2500),
    AddOn.STORAGE: Money(1000),  # per 1 GB
    AddOn.EXTRA_SEATS: Money(9900),  # per block of 200 seats
}
STORAGE_ADD_ON_MB = 1024

# Promo codes and the percentage they take off renewals (a downgrade voids them).
PROMO_CODES: dict[str, int] = {"WELCOME10": 10, "WEBINAR20": 20}

# Subaccount packages are sold by the attendee size of the subaccount's plan.
SUBACCOUNT_PACKAGE_MONTHLY_PRICE: dict[int, Money] = {
    25: Money(2000),
    50: Money(3500),
    100: Money(5500),
    200: Money(8900),
}


def plan_by_id(plan_id: str) -> Plan:
    """The catalogue's plan ``plan_id``; ``UnknownPlanError`` names the ones that exist."""
    try:
        return PLANS[plan_id]
    except KeyError:
        raise UnknownPlanError(f"unknown plan {plan_id!r}; plans are: {', '.join(PLANS)}") from None


def package_price(size: int) -> Money:
    """The monthly price of one subaccount package of ``size`` attendees."""
    try:
        return SUBACCOUNT_PACKAGE_MONTHLY_PRICE[size]
    except KeyError:
        sizes = ", ".join(str(s) for s in SUBACCOUNT_PACKAGE_MONTHLY_PRICE)
        raise UnknownPlanError(
            f"unknown subaccount package size {size}; sizes are: {sizes}"
        ) from None
