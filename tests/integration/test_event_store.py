"""EventStore.load_many: several aggregates in one query, exactly as one load each gives them."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from commands.unit_of_work import Outcome
from domain.account import Account
from domain.idempotency import IdempotencyRecord
from domain.ledger import Ledger
from domain.money import Money
from podium.bootstrap import Podium, bootstrap
from podium.clock import ManualClock
from podium.passwords import FastTestHasher
from podium.payments import SandboxGateway
from podium.settings import Settings
from tests.integration.scenario import paying_account
from tests.unit.factories import START


@pytest.fixture
def other_process(
    settings: Settings, clock: ManualClock, gateway: SandboxGateway
) -> Iterator[Podium]:
    """A second Podium on the same store, with its own aggregate cache: another API worker."""
    other = bootstrap(settings, clock=clock, gateway=gateway, hasher=FastTestHasher())
    yield other
    other.close()


def test_it_loads_what_single_loads_load(podium: Podium) -> None:
    """Cached or not, each aggregate equals what repository.get returns; absent ones are None."""
    account_id = paying_account(podium, "many@example.com")
    ids = [account_id, Ledger.id_for(account_id), uuid4()]
    single: list[object] = [podium.store.repository.get(i) for i in ids[:2]]
    for _ in range(2):  # the first load may fill the cache; the second reads through it
        loaded = podium.store.load_many(ids)
        assert [vars(loaded[i]) for i in ids[:2]] == [vars(a) for a in single]
        assert loaded[ids[2]] is None


def test_it_sees_what_another_process_appended(podium: Podium, other_process: Podium) -> None:
    """A cached aggregate is brought up to date from the log, not served stale."""
    account_id = paying_account(podium, "shared@example.com")
    ledger_id = Ledger.id_for(account_id)
    before = podium.store.load_many([account_id, ledger_id])
    assert other_process.billing.add_funds(account_id, 1_234).outcome == Outcome.DONE
    after = podium.store.load_many([account_id, ledger_id])
    ledger, stale = after[ledger_id], before[ledger_id]
    assert isinstance(ledger, Ledger)
    assert isinstance(stale, Ledger)
    assert ledger.balance == stale.balance + 1_234
    assert ledger.version == stale.version + 1


def test_a_change_to_a_loaded_aggregate_never_reaches_the_cache(podium: Podium) -> None:
    """What a command does to its copy (say, a refused upgrade) is not seen by the next load."""
    account_id = paying_account(podium, "copy@example.com")
    first = podium.store.load_many([account_id])[account_id]
    assert isinstance(first, Account)
    plan = first.plan_id
    first.upgrade_plan_id_for_test = "changed"  # type: ignore[attr-defined]
    first.add_ons["storage"] = 99
    again = podium.store.load_many([account_id])[account_id]
    assert isinstance(again, Account)
    assert (again.plan_id, again.add_ons) == (plan, {})
    assert not hasattr(again, "upgrade_plan_id_for_test")


def test_unsnapshotted_streams_come_from_their_events(podium: Podium) -> None:
    """An idempotency record is found by its id, in the same query; an unknown one is None."""
    record = IdempotencyRecord("scope", "key-1", "fingerprint", "done", {"ok": True})
    podium.store.save(record)
    unknown = IdempotencyRecord.id_for("scope", "never-sent")
    loaded = podium.store.load_many([], unsnapshotted=[record.id, unknown])
    found = loaded[record.id]
    assert isinstance(found, IdempotencyRecord)
    assert (found.outcome, found.body) == ("done", {"ok": True})
    assert loaded[unknown] is None


def test_saves_racing_on_many_threads_each_land_once_or_conflict(podium: Podium) -> None:
    """Threads saving at once: every save of a new aggregate lands with its own notification
    id; of saves of the same next version exactly one lands and the others are version
    conflicts; nothing else is appended."""
    store = podium.store
    contested = IdempotencyRecord("race", "contested", "fp", "done", {})
    store.save(contested)
    head = store.recorder.max_notification_id() or 0

    def save(n: int) -> list[int] | str:
        if n % 10 == 0:  # every tenth save changes the contested record: one version, many tries
            rival: IdempotencyRecord = store.repository.get(contested.id)
            rival.trigger_event(IdempotencyRecord.Event)
            try:
                store.save(rival)
            except IntegrityError:
                return "conflict"
            return "won"
        record = IdempotencyRecord("race", f"key-{n}", "fp", "done", {"n": n})
        return [recording.notification.id for recording in store.save(record)]

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(save, range(200)))
    contests = [o for o in outcomes if isinstance(o, str)]
    landed = [ids for ids in outcomes if isinstance(ids, list)]
    assert contests.count("won") >= 1
    assert len(contests) == 20
    assert all(len(ids) == 1 for ids in landed)
    notification_ids = sorted(i for ids in landed for i in ids)
    assert len(set(notification_ids)) == 180
    log = store.recorder.select_notifications(head, 1000, inclusive_of_start=False)
    assert len(log) == 180 + contests.count("won")
    assert store.repository.get(contested.id).version == 1 + contests.count("won")


def test_a_saved_aggregate_is_cached_as_a_copy_at_its_new_version(podium: Podium) -> None:
    """After a save the cache holds a copy of what was saved: the next load has nothing to
    replay, and changing the saved object afterwards does not change the cache."""
    account_id = paying_account(podium, "cached@example.com")
    ledger_id = Ledger.id_for(account_id)
    podium.store.load_many([ledger_id])  # the ledger is in the cache from here on
    ledger = podium.store.load(ledger_id)
    assert isinstance(ledger, Ledger)
    ledger.record("top_up", Money(500), "test", "ref", START)
    podium.store.save(ledger)
    cache = podium.store.repository.cache
    assert cache is not None
    cached = cache.get(ledger_id)
    assert isinstance(cached, Ledger)
    assert cached is not ledger
    assert (cached.version, cached.balance) == (ledger.version, ledger.balance)
    ledger.record("top_up", Money(700), "not saved", "ref-2", START)
    reloaded = podium.store.load_many([ledger_id])[ledger_id]
    assert isinstance(reloaded, Ledger)
    assert reloaded.balance == cached.balance
