"""Snapshots the write side builds on only when they are what they claim (commands/snapshots)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from uuid import uuid4

from eventsourcing.domain import Snapshot

from commands.snapshots import UNSEALED, SealedSnapshot
from commands.store import EventStore
from domain.account import Account
from domain.ledger import Ledger
from domain.money import Money
from podium.transcoder import OrjsonTranscoder
from tests.unit.factories import START, load, sqlite_env, sqlite_store


def saved_ledger(store: EventStore, entries: int = 9) -> Ledger:
    ledger = Ledger(uuid4())
    for i in range(entries):
        ledger.record("top_up", Money(100 + i), f"top-up {i}", f"ref-{i}", START)
    store.save(ledger)
    return ledger


def saved_account(store: EventStore) -> Account:
    account = Account("Acme", "owner@acme.example", START)
    for i in range(5):
        account.set_payment_method("card", f"tok_{i}", "Visa", START)
    store.save(account)
    return account


def put(store: EventStore, snapshot: Snapshot) -> None:
    assert store.snapshots is not None
    store.snapshots.put([snapshot])


def test_a_sealed_snapshot_is_built_on(tmp_path: Path) -> None:
    """A snapshot whose seal holds is used as it is (here one sealed with a changed name, which
    only the holder of the secret can make): snapshots still spare the replay."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    account = saved_account(store)
    changed = Snapshot.take(account)
    changed.state["name"] = "Renamed by the key holder"
    sealed = store.sealer.take(account)
    put(store, replace(sealed, state=changed.state, seal=store.sealer.seal(changed)))
    assert load(sqlite_store(path), Account, account.id).name == "Renamed by the key holder"


def test_an_altered_account_snapshot_is_refused_and_the_events_replayed(tmp_path: Path) -> None:
    """A sealed Account snapshot altered after sealing fails its seal: the account is rebuilt
    from its events, and the refusal is kept as a fault with its reason."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    account = saved_account(store)
    sealed = store.sealer.take(account)
    put(store, replace(sealed, state={**sealed.state, "name": "Forged"}))
    fresh = sqlite_store(path)
    loaded = load(fresh, Account, account.id)
    assert loaded.__dict__ == account.__dict__
    [fault] = fresh.snapshot_faults
    assert (fault.aggregate_id, fault.version) == (account.id, account.version)
    assert "seal does not match" in fault.reason


def test_an_unsealed_account_snapshot_from_before_sealing_is_not_trusted(tmp_path: Path) -> None:
    """A snapshot written before seals existed is not an error, but is not built on either:
    the account comes from its events, whatever the snapshot says."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    account = saved_account(store)
    legacy = Snapshot.take(account)
    legacy.state["name"] = "Whatever an old row says"
    put(store, legacy)
    fresh = sqlite_store(path)
    assert fresh.snapshot_guard is not None
    assert fresh.snapshot_guard.problem(legacy) == UNSEALED
    assert load(fresh, Account, account.id).__dict__ == account.__dict__
    assert fresh.snapshot_faults == []


def test_a_snapshot_sealed_with_another_secret_is_refused(tmp_path: Path) -> None:
    """After the secret changes, old seals no longer hold: those accounts are replayed."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    account = saved_account(store)
    put(store, store.sealer.take(account))
    rotated = EventStore(sqlite_env(path), OrjsonTranscoder(), secret="another-secret-0123")
    assert load(rotated, Account, account.id).__dict__ == account.__dict__
    assert "another secret" in rotated.snapshot_faults[0].reason


def test_an_unsealed_ledger_snapshot_is_checked_against_its_entry(tmp_path: Path) -> None:
    """A ledger snapshot from before sealing is trusted when it matches the entry at its
    version (balance, sequence, hash), and refused when it does not."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    ledger = saved_ledger(store)
    sound = Snapshot.take(ledger)
    assert store.snapshot_guard is not None
    assert store.snapshot_guard.problem(sound) is None
    inflated = replace(sound, state={**sound.state, "balance": sound.state["balance"] + 10**6})
    problem = store.snapshot_guard.problem(inflated)
    assert problem is not None
    assert "the entry at its version says" in problem
    put(store, inflated)
    fresh = sqlite_store(path)
    assert load(fresh, Ledger, ledger.id).balance == ledger.balance
    assert [f.aggregate_id for f in fresh.snapshot_faults] == [ledger.id]


def test_a_sealed_ledger_snapshot_must_also_match_its_entry(tmp_path: Path) -> None:
    """A seal does not excuse a ledger snapshot from its chain check: one sealed over a wrong
    balance (a bug, or a leaked secret) is still refused."""
    store = sqlite_store(tmp_path / "e.db")
    ledger = saved_ledger(store)
    wrong = Snapshot.take(ledger)
    wrong.state["balance"] += 1
    sealed = SealedSnapshot(**vars(wrong), seal=store.sealer.seal(wrong))
    assert store.snapshot_guard is not None
    assert store.sealer.seal_problem(sealed) is None
    assert store.snapshot_guard.problem(sealed) is not None


def test_a_ledger_snapshot_of_another_account_is_refused(tmp_path: Path) -> None:
    """A snapshot copied from another ledger (same shape, valid there) does not belong here."""
    store = sqlite_store(tmp_path / "e.db")
    ledger, other = saved_ledger(store), saved_ledger(store)
    copied = replace(Snapshot.take(other), originator_id=ledger.id)
    assert store.snapshot_guard is not None
    assert "account" in str(store.snapshot_guard.problem(copied))


def test_a_snapshot_too_mangled_to_check_is_refused_not_fatal(tmp_path: Path) -> None:
    """A ledger snapshot missing its fields is refused (and replayed), never an exception."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    ledger = saved_ledger(store)
    put(store, replace(Snapshot.take(ledger), state={"balance": 10**6}))
    fresh = sqlite_store(path)
    assert load(fresh, Ledger, ledger.id).balance == ledger.balance
    assert len(fresh.snapshot_faults) == 1
