"""Money in minor units, half-up division, proration and month arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from domain.money import Money, MoneyError, add_months, divide_half_up, prorate
from tests.unit.factories import half_up

# ---- Money ------------------------------------------------------------------------------------


def test_adding_and_subtracting_keep_the_currency() -> None:
    """Sums and differences are exact in minor units and stay in the operands' currency."""
    assert Money(1050, "EUR") + Money(275, "EUR") == Money(1325, "EUR")
    assert Money(1050, "EUR") - Money(2000, "EUR") == Money(-950, "EUR")
    assert -Money(300, "EUR") == Money(-300, "EUR")


def test_default_currency_is_usd() -> None:
    """An amount without a currency is in US dollars."""
    assert Money(1).currency == "USD"


@pytest.mark.parametrize("operation", ["add", "sub"])
def test_mixing_currencies_is_refused(operation: str) -> None:
    """Adding or subtracting amounts in different currencies raises MoneyError."""
    usd, eur = Money(100, "USD"), Money(100, "EUR")
    with pytest.raises(MoneyError, match="cannot mix USD and EUR"):
        _ = usd + eur if operation == "add" else usd - eur


@pytest.mark.parametrize("amount", [1.0, 0.5, Decimal("1.00"), True, False, "100", None])
def test_only_whole_minor_units_are_accepted(amount: Any) -> None:
    """Floats, decimals, booleans, strings and None are refused as amounts."""
    with pytest.raises(MoneyError, match="whole number of minor units"):
        Money(amount)


@pytest.mark.parametrize("currency", ["usd", "US", "USDX", ""])
def test_currency_must_be_a_three_letter_upper_case_code(currency: str) -> None:
    """A currency other than three upper-case letters is refused."""
    with pytest.raises(MoneyError, match="3-letter ISO code"):
        Money(100, currency)


def test_times_rounds_half_up_to_the_cent() -> None:
    """Scaling by a fraction rounds the exact result half away from zero."""
    assert Money(5).times(1, 2) == Money(3)  # 2.5 -> 3
    assert Money(-5).times(1, 2) == Money(-3)  # -2.5 -> -3
    assert Money(10).times(1, 3) == Money(3)  # 3.33 -> 3
    assert Money(3000).times(12) == Money(36000)


def test_money_renders_as_units_and_cents() -> None:
    """str() shows whole units, two-digit cents and the currency, with the sign in front."""
    assert str(Money(123456)) == "1234.56 USD"
    assert str(Money(-5, "EUR")) == "-0.05 EUR"
    assert str(Money(0)) == "0.00 USD"


# ---- divide_half_up ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (5, 2, 3),
        (-5, 2, -3),
        (7, 2, 4),
        (-7, 2, -4),
        (1, 3, 0),
        (2, 3, 1),
        (-2, 3, -1),
        (0, 7, 0),
        (14, 7, 2),
        (149, 100, 1),
        (150, 100, 2),
        (-150, 100, -2),
    ],
)
def test_divide_half_up_rounds_halves_away_from_zero(
    numerator: int, denominator: int, expected: int
) -> None:
    """Exact quotients stay, halves go away from zero, the rest to the nearest integer."""
    assert divide_half_up(numerator, denominator) == expected
    assert divide_half_up(numerator, denominator) == half_up(Fraction(numerator, denominator))


def test_divide_half_up_is_exact_on_numbers_floats_cannot_hold() -> None:
    """Integers far past 2**53 divide exactly: (10**30 + 1) / 2 rounds up to 5*10**29 + 1."""
    assert divide_half_up(10**30 + 1, 2) == 5 * 10**29 + 1
    assert divide_half_up(-(10**30) - 1, 2) == -(5 * 10**29) - 1


@pytest.mark.parametrize("denominator", [0, -1])
def test_divide_half_up_needs_a_positive_denominator(denominator: int) -> None:
    """A zero or negative denominator raises MoneyError."""
    with pytest.raises(MoneyError, match="denominator must be positive"):
        divide_half_up(10, denominator)


# ---- prorate ----------------------------------------------------------------------------------

OCT_15, NOV_15 = date(2026, 10, 15), date(2026, 11, 15)


def test_prorate_matches_the_help_centre_example() -> None:
    """Bought on 23 Oct in a 15 Oct - 15 Nov period: 23 of 31 days, rounded half-up."""
    price = Money(5500)
    # 23 Oct..31 Oct is 9 days, 1 Nov..14 Nov is 14 more; October 15 to November 15 is 31 days.
    expected = half_up(Fraction(5500 * (9 + 14), 31))
    assert prorate(price, OCT_15, NOV_15, date(2026, 10, 23)) == Money(expected)
    assert expected == 4081  # 5500 * 23/31 = 4080.6...


def test_prorate_rounds_half_up_at_exactly_half_a_cent() -> None:
    """A share landing on half a cent rounds up: 1 cent over 2 of 4 days is 1 cent."""
    assert prorate(Money(1), date(2026, 1, 1), date(2026, 1, 5), date(2026, 1, 3)) == Money(1)


@pytest.mark.parametrize("on", [date(2026, 10, 15), date(2026, 10, 1), date(2020, 1, 1)])
def test_bought_on_or_before_the_period_start_costs_the_full_price(on: date) -> None:
    """From the first day of the period (or before it) the full price is due."""
    assert prorate(Money(7900), OCT_15, NOV_15, on) == Money(7900)


@pytest.mark.parametrize("on", [date(2026, 11, 15), date(2026, 11, 16), date(2030, 1, 1)])
def test_bought_on_or_after_the_period_end_costs_nothing(on: date) -> None:
    """On the renewal date or later nothing of this period is left to charge."""
    assert prorate(Money(7900), OCT_15, NOV_15, on) == Money(0)


def test_prorate_keeps_the_currency() -> None:
    """The prorated amount is in the full price's currency."""
    assert prorate(Money(3100, "EUR"), OCT_15, NOV_15, date(2026, 11, 14)).currency == "EUR"


@pytest.mark.parametrize("end", [OCT_15, date(2026, 10, 1)])
def test_a_period_must_last_at_least_a_day(end: date) -> None:
    """An empty or backwards period raises MoneyError."""
    with pytest.raises(MoneyError, match="at least one day"):
        prorate(Money(100), OCT_15, end, OCT_15)


# ---- add_months -------------------------------------------------------------------------------


def test_add_months_clamps_to_the_end_of_february() -> None:
    """31 January plus a month is 28 February, or 29 February in a leap year."""
    assert add_months(datetime(2027, 1, 31, tzinfo=UTC), 1) == datetime(2027, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2028, 1, 31, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)


def test_add_months_anchor_day_restores_a_clamped_day() -> None:
    """With anchor day 31, a period ending on 28 February next ends on 31 March."""
    clamped = datetime(2027, 2, 28, tzinfo=UTC)
    assert add_months(clamped, 1, anchor_day=31) == datetime(2027, 3, 31, tzinfo=UTC)
    assert add_months(clamped, 2, anchor_day=31) == datetime(2027, 4, 30, tzinfo=UTC)


def test_add_months_crosses_years() -> None:
    """Months carry into the year: November plus 3 is February, plus 12 the same day next year."""
    nov = datetime(2026, 11, 15, tzinfo=UTC)
    assert add_months(nov, 3) == datetime(2027, 2, 15, tzinfo=UTC)
    assert add_months(nov, 12) == datetime(2027, 11, 15, tzinfo=UTC)
    assert add_months(datetime(2028, 2, 29, tzinfo=UTC), 12) == datetime(2029, 2, 28, tzinfo=UTC)


def test_add_months_keeps_time_of_day_and_zone() -> None:
    """Only the date moves; the time and the time zone stay."""
    zone = timezone(timedelta(hours=2))
    moved = add_months(datetime(2026, 10, 15, 9, 30, 15, tzinfo=zone), 1)
    assert moved == datetime(2026, 11, 15, 9, 30, 15, tzinfo=zone)
    assert moved.tzinfo is zone
