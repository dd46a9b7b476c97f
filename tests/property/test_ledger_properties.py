"""Properties of the Ledger over any sequence of valid entries: balance and hash chain."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import InvalidRequestError
from domain.ledger import CREDITS, DEBITS, NEUTRAL, Ledger, genesis_hash
from domain.money import Money

AT = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)
CENTS = 10**8


def signed_amounts(kind: str) -> st.SearchStrategy[int]:
    """Amounts a ``kind`` entry may carry: debits <= 0, credits >= 0, neutral exactly 0."""
    if kind in DEBITS:
        return st.integers(min_value=-CENTS, max_value=0)
    if kind in CREDITS:
        return st.integers(min_value=0, max_value=CENTS)
    return st.just(0)


valid_entries = st.sampled_from(sorted(DEBITS | CREDITS | NEUTRAL)).flatmap(
    lambda kind: st.tuples(
        st.just(kind),
        signed_amounts(kind),
        st.text(max_size=30),
        st.integers(min_value=0, max_value=10**6),
    )
)


def recorded(ledger: Ledger) -> list[Ledger.EntryRecorded]:
    return [e for e in ledger.collect_events() if isinstance(e, Ledger.EntryRecorded)]


@settings(max_examples=150, deadline=None)
@given(entries=st.lists(valid_entries, max_size=40))
def test_balance_is_the_sum_and_the_chain_verifies(
    entries: list[tuple[str, int, str, int]],
) -> None:
    """For any valid entries: balance = their sum, running balances add up, every hash checks."""
    ledger = Ledger(uuid4())
    for kind, amount, description, seconds in entries:
        ledger.record(
            kind, Money(amount), description, f"ref-{seconds}", AT + timedelta(seconds=seconds)
        )
    events = recorded(ledger)
    assert ledger.balance == sum(amount for _, amount, _, _ in entries)
    assert ledger.entries == len(entries) == len(events)
    assert [e.balance_after for e in events] == list(
        itertools.accumulate(amount for _, amount, _, _ in entries)
    )
    previous = genesis_hash(ledger.account_id)
    for sequence, event in enumerate(events, start=1):
        assert event.sequence == sequence
        assert event.previous_hash == previous
        assert event.recomputed_hash() == event.hash
        previous = event.hash
    assert ledger.last_hash == previous


@settings(max_examples=150, deadline=None)
@given(
    before=st.lists(valid_entries, max_size=5),
    kind=st.sampled_from(sorted(DEBITS | CREDITS | NEUTRAL)),
    magnitude=st.integers(min_value=1, max_value=CENTS),
)
def test_a_wrongly_signed_entry_is_refused_and_changes_nothing(
    before: list[tuple[str, int, str, int]], kind: str, magnitude: int
) -> None:
    """A positive debit, a negative credit or a non-zero neutral entry is refused; state stays."""
    ledger = Ledger(uuid4())
    for entry_kind, amount, description, _ in before:
        ledger.record(entry_kind, Money(amount), description, "ref", AT)
    ledger.collect_events()
    state = (ledger.balance, ledger.entries, ledger.last_hash)
    wrong = magnitude if kind in DEBITS else -magnitude
    try:
        ledger.record(kind, Money(wrong), "wrong", "ref", AT)
    except InvalidRequestError:
        pass
    else:
        raise AssertionError(f"a {kind} entry of {wrong} was recorded")
    assert (ledger.balance, ledger.entries, ledger.last_hash) == state
    assert ledger.collect_events() == []
