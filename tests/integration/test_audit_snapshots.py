"""Tampered snapshots: the write side refuses them and replays, and ``podium audit`` names them."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

import pytest

from commands.unit_of_work import Outcome
from domain.account import Account
from domain.ledger import Ledger
from podium.audit import AuditReport, audit
from podium.bootstrap import Podium, bootstrap
from podium.clock import ManualClock
from podium.passwords import FastTestHasher
from tests.integration.scenario import paying_account
from tests.integration.tamper import alter_entry, alter_snapshot

SNAPSHOT_AT = 50  # EventStore.snapshotting_intervals for Account and Ledger


def run_audit(podium: Podium) -> AuditReport:
    podium.projector.catch_up()
    return audit(podium.store, podium.read_store, io.StringIO())


@contextmanager
def restarted(podium: Podium) -> Iterator[Podium]:
    """Podium started again on the same store: nothing cached, every aggregate read anew."""
    again = bootstrap(
        podium.settings, clock=podium.clock, gateway=podium.gateway, hasher=FastTestHasher()
    )
    try:
        yield again
    finally:
        again.close()


def snapshotted_ledger(podium: Podium, email: str) -> tuple[UUID, UUID]:
    """A paying account whose ledger's latest state is its snapshot: (account, ledger).

    At the head, because the entry after a snapshot sets the balance to its own balance-after:
    only a snapshot at the head is built on exactly as stored."""
    account_id = paying_account(podium, email)
    ledger_id = Ledger.id_for(account_id)
    while podium.store.load(ledger_id).version < SNAPSHOT_AT:
        assert podium.billing.add_funds(account_id, 100).outcome == Outcome.DONE
    assert podium.store.load(ledger_id).version == SNAPSHOT_AT
    return account_id, ledger_id


def snapshotted_account(podium: Podium, email: str) -> UUID:
    """A paying account whose latest state is a snapshot of the Account stream itself."""
    account_id = paying_account(podium, email)
    while podium.store.load(account_id).version < SNAPSHOT_AT:
        podium.billing.set_payment_method(account_id, "card", {"number": "4242424242424242"})
    assert podium.store.load(account_id).version == SNAPSHOT_AT
    return account_id


def inflate(state: dict[str, Any]) -> None:
    state["balance"] += 1_000_000


def test_a_sound_store_with_snapshots_passes(podium: Podium) -> None:
    """Snapshots taken by Podium itself match their events: the audit replays them and passes."""
    snapshotted_ledger(podium, "ledger@example.com")
    snapshotted_account(podium, "account@example.com")
    report = run_audit(podium)
    assert report.ok, report.render()
    assert (report.streams_with_snapshots, report.snapshots) == (2, 2)
    assert report.unsealed_snapshots == 0  # both sealed, and the seals hold after the store
    assert podium.store.snapshot_faults == []


def test_an_inflated_ledger_snapshot_is_refused_and_named(
    podium: Podium, caplog: pytest.LogCaptureFixture
) -> None:
    """A balance raised in a ledger's snapshot is not built on: the next top-up answers the
    true balance, the refusal is logged at error level and kept, and the audit names it."""
    account_id, ledger_id = snapshotted_ledger(podium, "victim@example.com")
    ledger = podium.store.load(ledger_id)
    assert isinstance(ledger, Ledger)
    true_balance = ledger.balance
    alter_snapshot(podium, ledger_id, SNAPSHOT_AT, inflate)
    with restarted(podium) as again, caplog.at_level(logging.ERROR, logger="commands.snapshots"):
        topped_up = again.billing.add_funds(account_id, 100)
        assert topped_up.body["balance"] == true_balance + 100
        assert any(record.levelno == logging.ERROR for record in caplog.records)
        [fault] = again.store.snapshot_faults
        assert (fault.aggregate_id, fault.version) == (ledger_id, SNAPSHOT_AT)
        report = run_audit(again)
    [finding] = report.findings
    assert (finding.kind, finding.account_id) == ("snapshot", str(account_id))
    assert finding.where == f"snapshot at version {SNAPSHOT_AT}"
    assert "balance is" in finding.problem
    assert "refuses it" in finding.problem


def test_an_altered_account_snapshot_is_refused_and_named(podium: Podium) -> None:
    """An Account snapshot given a bigger plan fails its seal: loading replays the events,
    and the audit names the field that differs."""
    account_id = snapshotted_account(podium, "upgrade@example.com")
    before = vars(podium.store.load(account_id))

    def promote(state: dict[str, Any]) -> None:
        state["plan_id"] = "enterprise"

    alter_snapshot(podium, account_id, SNAPSHOT_AT, promote)
    with restarted(podium) as again:
        loaded = again.store.load(account_id)
        assert isinstance(loaded, Account)
        assert vars(loaded) == before
        assert [f.aggregate_id for f in again.store.snapshot_faults] == [account_id]
    [finding] = run_audit(podium).findings
    assert finding.account_id == str(account_id)
    assert "plan_id is 'enterprise'" in finding.problem
    assert "seal" in finding.problem


def test_two_altered_accounts_and_a_tampered_snapshot_are_all_named(
    podium: Podium, clock: ManualClock
) -> None:
    """Three accounts tampered three ways: each is named, each ledger once, with the later
    differences counted; a capped rendering says what it left out, and --json has it all."""
    shaved = paying_account(podium, "shaved@example.com")
    renamed = paying_account(podium, "renamed@example.com")
    for account_id in (shaved, renamed):
        for _ in range(5):
            podium.billing.add_funds(account_id, 1_000)
    inflated, ledger_id = snapshotted_ledger(podium, "inflated@example.com")
    podium.projector.catch_up()

    def shave(state: dict[str, Any]) -> None:
        state["amount"] -= 1

    def rename(state: dict[str, Any]) -> None:
        state["description"] = "nothing to see here"

    alter_entry(podium, shaved, 2, shave)
    alter_entry(podium, renamed, 3, rename)
    alter_snapshot(podium, ledger_id, SNAPSHOT_AT, inflate)
    report = run_audit(podium)
    named = {(f.account_id, f.kind) for f in report.findings}
    assert {(str(shaved), "ledger"), (str(renamed), "ledger"), (str(inflated), "snapshot")} <= named
    ledgers = [f for f in report.findings if f.kind == "ledger"]
    assert [(f.account_id, f.where) for f in ledgers] == [
        (str(shaved), "entry 2"),
        (str(renamed), "entry 3"),
    ]
    assert ledgers[0].consequences > 0  # every later balance of that ledger is off by one
    capped = report.render(limit=1)
    assert f"{len(report.findings) - 1} more finding(s) left out" in capped
    assert "podium audit --all" in capped
    everything = json.loads(json.dumps(report.as_json()))
    assert {f["account_id"] for f in everything["findings"]} >= {
        str(shaved),
        str(renamed),
        str(inflated),
    }
    assert set(everything["accounts"]) >= {str(shaved), str(renamed), str(inflated)}
