"""Properties of the one proration rule, over any period, purchase day and price.

Not tested: that prorations of consecutive disjoint intervals sum to the full price. It does not
hold: each part is rounded to the cent on its own (a 100-cent price over 3 days split into days is
33 + 33 + 33), and ``prorate`` only prices "from this day to the period end", whose differences
telescope to the full price trivially. The bound that does hold is the half-cent one below.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.money import Money, prorate
from tests.unit.factories import half_up

starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
lengths = st.integers(min_value=28, max_value=366)
offsets = st.integers(min_value=-400, max_value=800)  # purchase day relative to the start
prices = st.integers(min_value=0, max_value=10**9)

FAST = settings(max_examples=300, deadline=None)


@FAST
@given(start=starts, length=lengths, offset=offsets, price=prices)
def test_a_prorated_charge_is_between_nothing_and_the_full_price(
    start: date, length: int, offset: int, price: int
) -> None:
    """Whatever the period and purchase day, 0 <= prorated <= full price."""
    end = start + timedelta(days=length)
    charged = prorate(Money(price), start, end, start + timedelta(days=offset))
    assert Money(0) <= charged <= Money(price)


@FAST
@given(start=starts, length=lengths, offset=offsets, price=prices)
def test_proration_is_the_days_left_share_rounded_half_up(
    start: date, length: int, offset: int, price: int
) -> None:
    """The charge is price * days left / period days, exactly, rounded half-up to the cent."""
    end = start + timedelta(days=length)
    days_left = min(max(length - offset, 0), length)
    expected = half_up(Fraction(price * days_left, length))
    assert prorate(Money(price), start, end, start + timedelta(days=offset)) == Money(expected)
    assert abs(Fraction(expected) - Fraction(price * days_left, length)) <= Fraction(1, 2)


@FAST
@given(
    start=starts,
    length=lengths,
    first=offsets,
    later_by=st.integers(min_value=0, max_value=400),
    price=prices,
)
def test_buying_later_never_costs_more(
    start: date, length: int, first: int, later_by: int, price: int
) -> None:
    """A later purchase day is charged no more than an earlier one in the same period."""
    end = start + timedelta(days=length)
    earlier = prorate(Money(price), start, end, start + timedelta(days=first))
    later = prorate(Money(price), start, end, start + timedelta(days=first + later_by))
    assert later <= earlier


@FAST
@given(start=starts, length=lengths, offset=offsets, price=prices)
def test_a_credit_prorates_symmetrically(start: date, length: int, offset: int, price: int) -> None:
    """Prorating a negative amount gives exactly the negated charge (half away from zero)."""
    end = start + timedelta(days=length)
    on = start + timedelta(days=offset)
    assert prorate(Money(-price), start, end, on) == -prorate(Money(price), start, end, on)
