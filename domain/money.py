"""Money in integer minor units, and the one proration rule everything prorated uses."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

CURRENCY = "USD"


class MoneyError(ValueError):
    """An amount or currency that money arithmetic refuses."""


@dataclass(frozen=True)
class Money:
    """An amount in minor units (cents) of one currency. Never a float."""

    amount: int
    currency: str = CURRENCY

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise MoneyError(f"amount must be a whole number of minor units, not {self.amount!r}")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise MoneyError(f"currency must be a 3-letter ISO code, not {self.currency!r}")

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same_currency(other)
        return self.amount >= other.amount

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def times(self, numerator: int, denominator: int = 1) -> Money:
        """This amount times numerator/denominator, rounded half-up to the minor unit."""
        return Money(divide_half_up(self.amount * numerator, denominator), self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot mix {self.currency} and {other.currency}")

    def __str__(self) -> str:
        sign = "-" if self.amount < 0 else ""
        whole, cents = divmod(abs(self.amount), 100)
        return f"{sign}{whole}.{cents:02d} {self.currency}"


def divide_half_up(numerator: int, denominator: int) -> int:
    """numerator/denominator rounded half away from zero, in exact integer arithmetic."""
    if denominator <= 0:
        raise MoneyError("denominator must be positive")
    quotient, remainder = divmod(abs(numerator), denominator)
    if remainder * 2 >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def prorate(full_price: Money, period_start: date, period_end: date, on: date) -> Money:
    """The share of ``full_price`` for the whole days from ``on`` to the end of the period.

    A billing period runs from ``period_start`` (inclusive) to ``period_end`` (exclusive: the
    renewal date). Something bought on day ``on`` is charged for the days ``on`` .. ``period_end``
    out of the period's days, rounded half-up to the cent. The help centre's example: the period
    runs from 15 October to 15 November and a subaccount is bought on 23 October, so it is charged
    for 23 October to 15 November, 23 of 31 days, and the monthly rate from 15 November.

    Bought before the period starts: the full price. On or after its end: nothing.
    """
    total_days = (period_end - period_start).days
    if total_days <= 0:
        raise MoneyError("a billing period must last at least one day")
    days_left = min(max((period_end - on).days, 0), total_days)
    return full_price.times(days_left, total_days)


def add_months(start: datetime, months: int, anchor_day: int | None = None) -> datetime:
    """``start`` moved by whole months, on ``anchor_day`` (default: start's day) clamped to the
    month's length, so a period opened on 31 January renews on 28/29 February, then 31 March."""
    day = anchor_day or start.day
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return start.replace(year=year, month=month, day=min(day, last_day))
