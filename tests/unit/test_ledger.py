"""The Ledger: signed entries per kind, a balance that is their sum, and a SHA-256 hash chain."""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.errors import InvalidRequestError
from domain.ids import derived_id
from domain.ledger import (
    CREDITS,
    DEBITS,
    NEUTRAL,
    Ledger,
    entry_hash,
    genesis_hash,
    hashed_fields,
)
from domain.money import Money

AT = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


def new_ledger() -> Ledger:
    ledger = Ledger(uuid4())
    ledger.collect_events()
    return ledger


def recorded(ledger: Ledger) -> list[Ledger.EntryRecorded]:
    """The entry events pending on ``ledger``."""
    return [e for e in ledger.collect_events() if isinstance(e, Ledger.EntryRecorded)]


def test_a_new_ledger_is_empty() -> None:
    """Opened: balance zero, no entries, the chain starts at the genesis hash."""
    account_id = uuid4()
    ledger = Ledger(account_id)
    assert (ledger.balance, ledger.entries, ledger.last_hash) == (
        0,
        0,
        genesis_hash(ledger.account_id),
    )
    assert ledger.balance_money == Money(0, "USD")
    assert ledger.account_id == account_id


def test_ledger_id_derives_from_the_account() -> None:
    """One ledger per account: its id is derived from the account id."""
    account_id = uuid4()
    assert (
        Ledger(account_id).id == Ledger.id_for(account_id) == derived_id("ledger", str(account_id))
    )
    assert Ledger.id_for(account_id) != Ledger.id_for(uuid4())


@pytest.mark.parametrize("kind", sorted(DEBITS))
def test_debits_are_negative(kind: str) -> None:
    """A charge-like entry must not be positive; negative and zero are recorded."""
    ledger = new_ledger()
    with pytest.raises(InvalidRequestError, match=f"a {kind} entry cannot be"):
        ledger.record(kind, Money(1), "x", "ref", AT)
    ledger.record(kind, Money(-250), "x", "ref", AT)
    ledger.record(kind, Money(0), "x", "ref", AT)
    assert ledger.balance == -250


@pytest.mark.parametrize("kind", sorted(CREDITS))
def test_credits_are_positive(kind: str) -> None:
    """A payment, top-up or credit must not be negative."""
    ledger = new_ledger()
    with pytest.raises(InvalidRequestError, match=f"a {kind} entry cannot be"):
        ledger.record(kind, Money(-1), "x", "ref", AT)
    ledger.record(kind, Money(400), "x", "ref", AT)
    assert ledger.balance == 400


@pytest.mark.parametrize("kind", sorted(NEUTRAL))
def test_a_declined_payment_moves_no_money(kind: str) -> None:
    """A declined payment is recorded only with a zero amount."""
    ledger = new_ledger()
    for amount in (1, -1):
        with pytest.raises(InvalidRequestError, match="moves no money"):
            ledger.record(kind, Money(amount), "declined", "ref", AT)
    ledger.record(kind, Money(0), "declined", "ref", AT)
    assert (ledger.balance, ledger.entries) == (0, 1)


def test_unknown_kind_is_refused() -> None:
    """Only the listed kinds can be recorded."""
    with pytest.raises(InvalidRequestError, match="unknown ledger entry kind 'gift'"):
        new_ledger().record("gift", Money(100), "x", "ref", AT)


def test_currency_mismatch_is_refused() -> None:
    """A USD ledger refuses an entry in euros and records nothing."""
    ledger = new_ledger()
    with pytest.raises(InvalidRequestError, match="in USD, not EUR"):
        ledger.record("top_up", Money(100, "EUR"), "x", "ref", AT)
    assert ledger.collect_events() == []
    assert Ledger(uuid4(), "EUR").balance_money == Money(0, "EUR")


def test_balance_is_the_sum_of_entries() -> None:
    """Charges and payments net out; each entry carries the running balance."""
    ledger = new_ledger()
    amounts = [("plan", -7900), ("card_payment", 7900), ("add_on", -1000), ("top_up", 500)]
    for kind, cents in amounts:
        ledger.record(kind, Money(cents), kind, "ref", AT)
    entries = recorded(ledger)
    assert ledger.balance == sum(cents for _, cents in amounts) == -500
    assert [e.balance_after for e in entries] == [-7900, 0, -1000, -500]
    assert [e.sequence for e in entries] == [1, 2, 3, 4]
    assert ledger.entries == 4


def test_each_entry_links_to_the_hash_before_it() -> None:
    """The first entry follows the genesis hash; each next one the previous entry's hash."""
    ledger = new_ledger()
    for i in range(4):
        ledger.record("top_up", Money(100 + i), f"top-up {i}", f"ref-{i}", AT + timedelta(days=i))
    entries = recorded(ledger)
    assert entries[0].previous_hash == genesis_hash(ledger.account_id)
    for before, after in itertools.pairwise(entries):
        assert after.previous_hash == before.hash
    assert ledger.last_hash == entries[-1].hash
    assert len({e.hash for e in entries}) == 4


def test_recomputing_the_hash_over_the_hashed_fields_reproduces_it() -> None:
    """Each entry's hash is what its fields and previous hash hash to."""
    ledger = new_ledger()
    ledger.record("plan", Money(-7900), "Live 100", "sub", AT)
    ledger.record("card_payment", Money(7900), "Visa", "ch_1", AT)
    for entry in recorded(ledger):
        assert entry.recomputed_hash() == entry.hash


def test_the_hash_is_sha256_of_previous_hash_and_canonical_json() -> None:
    """The documented format: sha256("<previous>|<json, sorted keys, no spaces>") in hex."""
    ledger = new_ledger()
    ledger.record("credit", Money(250), "goodwill", "t-1", AT)
    [entry] = recorded(ledger)
    canonical = (
        '{"amount":250,"at":"2026-10-15T09:00:00+00:00","balance_after":250,'
        '"currency":"USD","description":"goodwill","kind":"credit","reference":"t-1",'
        '"sequence":1}'
    )
    assert json.loads(canonical)["at"] == AT.isoformat()
    genesis = genesis_hash(ledger.account_id)
    assert entry.hash == hashlib.sha256(f"{genesis}|{canonical}".encode()).hexdigest()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", -7901),
        ("balance_after", 0),
        ("kind", "charge"),
        ("description", "Live 50"),
        ("reference", "other"),
        ("sequence", 2),
        ("currency", "EUR"),
        ("at", "2026-10-15T09:00:01+00:00"),
    ],
)
def test_altering_any_hashed_field_changes_the_hash(field: str, value: object) -> None:
    """Changing one field of a stored entry no longer matches its hash."""
    ledger = new_ledger()
    ledger.record("plan", Money(-7900), "Live 100", "sub", AT)
    [entry] = recorded(ledger)
    fields = entry.hashed_fields()
    assert entry_hash(entry.previous_hash, fields) == entry.hash
    assert entry_hash(entry.previous_hash, fields | {field: value}) != entry.hash


def test_altering_the_previous_hash_changes_the_hash() -> None:
    """An entry moved to another chain position no longer matches its hash."""
    ledger = new_ledger()
    ledger.record("top_up", Money(100), "x", "ref", AT)
    [entry] = recorded(ledger)
    fields = hashed_fields(1, "top_up", 100, "USD", 100, "x", "ref", AT)
    assert entry_hash("f" * 64, fields) != entry.hash


def test_two_accounts_with_the_same_history_have_different_chains() -> None:
    """Each chain starts from its account, so an entry moved between ledgers is detectable."""
    first, second = new_ledger(), new_ledger()
    for ledger in (first, second):
        ledger.record("credit", Money(250), "goodwill", "t-1", AT)
    assert recorded(first)[0].hash != recorded(second)[0].hash
