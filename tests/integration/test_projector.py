"""The projector: exactly once through crashes and rival projectors, and rebuilds equal live."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

import pytest

from podium.bootstrap import Podium
from podium.clock import ManualClock
from projections.billing_history.projection import BillingHistoryProjection
from projections.projector import ProjectionRaceError, Projector
from projections.store import BatchMemo, Cursor, SQLiteReadStore
from tests.integration.scenario import busy_month, paying_account


def tables(podium: Podium) -> list[str]:
    return [table for projection in podium.projector.projections for table in projection.tables]


def snapshot(podium: Podium) -> dict[str, list[dict[str, Any]]]:
    return {
        t: podium.read_store.query(f"SELECT * FROM {t} ORDER BY 1, 2")  # noqa: S608
        for t in tables(podium)
    }


class Crash(BaseException):
    """What a kill -9 looks like from inside a batch: nothing after it runs in this process."""


class Crashing(BillingHistoryProjection):
    """The billing projection, whose process dies on the n-th event it applies."""

    def __init__(self, fail_at: int) -> None:
        super().__init__()
        self.fail_at, self.seen = fail_at, 0

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        self.seen += 1
        if self.seen == self.fail_at:
            raise Crash("crash in the middle of a batch")
        super().apply(cursor, event, position)


def test_rebuild_equals_the_live_read_models(podium: Podium, clock: ManualClock) -> None:
    """Dropping every read model and replaying the log gives the same rows."""
    for n in range(2):
        busy_month(podium, clock, paying_account(podium, f"live{n}@example.com"))
    podium.projector.catch_up()
    live = snapshot(podium)
    podium.projector.rebuild()
    assert snapshot(podium) == live


def test_a_crash_mid_batch_loses_and_doubles_nothing(podium: Podium, clock: ManualClock) -> None:
    """A failing batch rolls back rows and position together; the next run applies it once."""
    busy_month(podium, clock, paying_account(podium, "crash@example.com"))
    podium.projector.catch_up()
    expected = snapshot(podium)["billing_entries"]
    podium.projector.rebuild()  # the live projector is done; now a fresh, crashing one
    with podium.read_store.transaction() as cursor:
        cursor.execute("DELETE FROM billing_entries")
        cursor.execute("DELETE FROM billing_ledgers")
        cursor.execute("DELETE FROM projection_positions WHERE name = 'billing_history'")
    crashing = Projector(
        podium.store.recorder, podium.store.mapper.to_domain_event, podium.read_store, [Crashing(5)]
    )
    with pytest.raises(Crash):
        crashing.catch_up()
    assert crashing.position("billing_history") == 0
    assert podium.read_store.query("SELECT * FROM billing_entries") == []
    crashing.catch_up()  # the crash was once; this run goes through
    assert snapshot(podium)["billing_entries"] == expected


def test_rival_projectors_apply_each_event_once(podium: Podium, clock: ManualClock) -> None:
    """Two projectors racing over one read store never apply an event twice."""
    for n in range(3):
        busy_month(podium, clock, paying_account(podium, f"rival{n}@example.com"))
    podium.projector.catch_up()
    expected = snapshot(podium)
    podium.projector.rebuild()
    with podium.read_store.transaction() as cursor:
        for table in tables(podium):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute("DELETE FROM projection_positions")
    rivals = [
        Projector(
            podium.store.recorder,
            podium.store.mapper.to_domain_event,
            podium.read_store,
            podium.projector.projections,
            batch_size=7,
        )
        for _ in range(2)
    ]
    errors: list[BaseException] = []

    def run(projector: Projector) -> None:
        for _ in range(50):
            try:
                projector.catch_up()
            except ProjectionRaceError:
                continue  # the rival advanced first: fine, catch up from its position
            except Exception as error:  # anything else would be a bug
                errors.append(error)
                return

    threads = [threading.Thread(target=run, args=(p,)) for p in rivals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rivals[0].catch_up()
    assert snapshot(podium) == expected


def test_a_batch_memo_lasts_one_transaction(podium: Podium) -> None:
    """What a projection remembers in one batch is gone in the next: a rolled-back batch can
    leave nothing behind that the database does not also hold."""
    memo = BatchMemo()
    with podium.read_store.transaction() as first:
        memo.of(first)["ledger"] = "account"
        assert memo.of(first) == {"ledger": "account"}
    with podium.read_store.transaction() as second:
        assert memo.of(second) == {}


def test_the_background_projector_outlives_a_store_error(podium: Podium) -> None:
    """An error reaching the store is logged and retried; the polling thread keeps going."""
    calls: list[int] = []
    real = podium.projector.catch_up
    done = threading.Event()

    def failing_then_real(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) <= 2:
            raise OSError("the store went away")
        done.set()
        return real(*args, **kwargs)

    podium.projector.catch_up = failing_then_real  # type: ignore[method-assign]
    stop = threading.Event()
    thread = threading.Thread(target=podium.projector.run_forever, args=(stop, 0.001))
    thread.start()
    try:
        assert done.wait(10), "the projector thread stopped after the error"
    finally:
        stop.set()
        thread.join(10)
    assert len(calls) >= 3


def test_readers_during_a_rebuild_always_see_a_whole_read_model(
    podium: Podium, clock: ManualClock
) -> None:
    """A rebuild fills fresh tables and swaps them in: a reader hammering the accounts and
    their balances meanwhile never finds an account missing or a balance climbing from 0."""
    accounts = [str(paying_account(podium, f"reader{n}@example.com")) for n in range(3)]
    for account in accounts:
        busy_month(podium, clock, UUID(account))
    podium.projector.catch_up()
    sql = (
        "SELECT a.account_id, a.status, l.balance, l.entries FROM accounts a "
        "JOIN billing_ledgers l ON l.account_id = a.account_id WHERE a.account_id = %s"
    )

    def read(account: str) -> list[dict[str, Any]]:
        return podium.read_store.query(sql, (account,))

    expected = {account: read(account) for account in accounts}
    assert all(len(rows) == 1 for rows in expected.values())
    stop, wrong, reads = threading.Event(), [], [0]

    def hammer() -> None:
        while not stop.is_set():
            for account in accounts:
                seen = read(account)
                if seen != expected[account]:
                    wrong.append(seen)
                reads[0] += 1

    reader = threading.Thread(target=hammer)
    reader.start()
    try:
        for _ in range(3):
            podium.projector.rebuild()
    finally:
        stop.set()
        reader.join()
    assert reads[0] > 0
    assert wrong == []
    assert {account: read(account) for account in accounts} == expected
    assert podium.projector.failures() == {}


def test_a_rebuild_leaves_positions_where_the_live_projector_resumes(
    podium: Podium, clock: ManualClock
) -> None:
    """After the swap every position is the log's head, and what is appended next is applied
    once to the rebuilt tables, as the live projector would have."""
    account = paying_account(podium, "resume@example.com")
    busy_month(podium, clock, account)
    podium.projector.catch_up()
    podium.projector.rebuild()
    head = podium.store.recorder.max_notification_id() or 0
    assert {state.position for state in podium.projector.states().values()} == {head}
    podium.billing.add_funds(account, 1_234)
    podium.projector.catch_up()
    live = snapshot(podium)
    podium.projector.rebuild()
    assert snapshot(podium) == live


def test_a_rebuild_leaves_no_shadow_behind(podium: Podium, clock: ManualClock) -> None:
    """The scratch file (SQLite) or the shadow and retired schemas (PostgreSQL) are removed."""
    busy_month(podium, clock, paying_account(podium, "tidy@example.com"))
    podium.projector.rebuild()
    store = podium.read_store
    if isinstance(store, SQLiteReadStore):
        assert not store.path.with_name(store.path.name + ".rebuild").exists()
    else:
        schema = store.query("SELECT current_schema() AS name")[0]["name"]
        left = store.query(
            "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)",
            ([f"{schema}_rebuild", f"{schema}_retired"],),
        )
        assert left == []


def test_the_following_projector_passes_over_what_a_projection_does_not_read(
    podium: Podium, clock: ManualClock
) -> None:
    """A wake moves the projections that read none of the new events to the head in one
    transaction; the ones that read them apply them; the result equals a rebuild."""
    account = paying_account(podium, "follow@example.com")
    podium.projector.catch_up()
    stop = threading.Event()
    thread = threading.Thread(target=podium.projector.run_forever, args=(stop, 0.01))
    thread.start()
    try:
        podium.billing.add_funds(account, 2_500)
        head = podium.store.recorder.max_notification_id() or 0
        for _ in range(500):
            if {s.position for s in podium.projector.states().values()} == {head}:
                break
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join()
    assert {s.position for s in podium.projector.states().values()} == {head}
    live = snapshot(podium)
    podium.projector.rebuild()
    assert snapshot(podium) == live
