"""podium audit: passes on a populated store, and names every altered ledger row or projection."""

from __future__ import annotations

import io
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent

from domain.ledger import Ledger
from podium.audit import AuditReport, audit
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.integration.scenario import busy_month, paying_account
from tests.integration.tamper import ENTRY_TOPIC, alter_entry, alter_first_stored_entry


def run_audit(podium: Podium) -> AuditReport:
    podium.projector.catch_up()
    return audit(podium.store, podium.read_store, io.StringIO())


def test_audit_passes_on_a_populated_store(podium: Podium, clock: ManualClock) -> None:
    """Every chain holds and the projection matches the log after a busy month of billing."""
    for n in range(3):
        busy_month(podium, clock, paying_account(podium, f"org{n}@example.com"))
    report = run_audit(podium)
    assert report.ok, report.render()
    assert report.ledgers == 3
    assert report.events > 3 * 10
    assert report.charged > 0
    assert "OK" in report.render()


def test_audit_fails_when_a_stored_entry_amount_is_altered(
    podium: Podium, clock: ManualClock
) -> None:
    """Changing an amount breaks that entry's hash and balance; the later balances it throws
    off are counted as its consequences, not listed one by one."""
    account_id = paying_account(podium, "victim@example.com")
    busy_month(podium, clock, account_id)
    podium.projector.catch_up()

    def shave(state: dict[str, Any]) -> None:
        state["amount"] = state["amount"] // 10

    alter_first_stored_entry(podium, shave)
    report = run_audit(podium)
    assert not report.ok
    [ledger] = [f for f in report.findings if f.kind == "ledger"]
    assert (ledger.account_id, ledger.where) == (str(account_id), "entry 1")
    assert "altered" in ledger.problem
    assert "balance after" in ledger.problem
    assert ledger.consequences == report.events - 1  # every later balance is off by as much
    assert f"account {account_id} entry 1" in report.render().splitlines()[2]


def test_audit_fails_when_the_billing_projection_is_altered(
    podium: Podium, clock: ManualClock
) -> None:
    """A changed row in the billing read model differs from the replay, and is reported."""
    account_id = paying_account(podium, "proj@example.com")
    busy_month(podium, clock, account_id)
    podium.projector.catch_up()
    with podium.read_store.transaction() as cursor:
        cursor.execute(
            "UPDATE billing_entries SET amount = amount + 1 WHERE account_id = %s AND sequence = 2",
            (str(account_id),),
        )
    report = run_audit(podium)
    assert not report.ok
    assert [(f.kind, f.account_id) for f in report.findings] == [("projection", str(account_id))]
    assert "projected entries differ from the log's" in report.render()


def test_audit_names_a_replaced_hash_once(podium: Podium, clock: ManualClock) -> None:
    """Replacing one entry's hash is named at that entry; the next entry, which links to what
    the fields hash to, is counted as its consequence rather than as a second break."""
    account_id = paying_account(podium, "chain@example.com")
    busy_month(podium, clock, account_id)

    def forge(state: dict[str, Any]) -> None:
        state["hash"] = "f" * 64

    alter_first_stored_entry(podium, forge)
    report = run_audit(podium)
    [ledger] = [f for f in report.findings if f.kind == "ledger"]
    assert ledger.where == "entry 1"
    assert "altered" in ledger.problem
    assert ledger.consequences == 1


def test_a_broken_link_is_named_as_a_chain_break(podium: Podium, clock: ManualClock) -> None:
    """An entry whose previous hash points nowhere is reported as the chain broken there."""
    account_id = paying_account(podium, "link@example.com")
    busy_month(podium, clock, account_id)

    def unlink(state: dict[str, Any]) -> None:
        state["previous_hash"] = "0" * 64

    alter_entry(podium, account_id, 3, unlink)
    report = run_audit(podium)
    [ledger] = [f for f in report.findings if f.kind == "ledger"]
    assert ledger.where == "entry 3"
    assert "chain broken" in ledger.problem


def append_raw(podium: Podium, topic: str, state: bytes, stream_id: UUID | None = None) -> int:
    """Append one stored event as-is through the recorder; return its notification id."""
    stream_id = stream_id or uuid4()
    version = len(podium.store.recorder.select_events(stream_id)) + 1
    ids = podium.store.recorder.insert_events(
        [StoredEvent(originator_id=stream_id, originator_version=version, topic=topic, state=state)]
    )
    assert ids
    return ids[0]


def test_the_audit_reports_events_it_cannot_read_and_goes_on(
    podium: Podium, clock: ManualClock
) -> None:
    """An undecodable event and an entry stripped of its fields are each named (notification id,
    topic, error), and an alteration in another account after them is still found."""
    first = paying_account(podium, "first@example.com")
    undecodable = append_raw(podium, ENTRY_TOPIC, b"{not json")
    stripped = append_raw(podium, ENTRY_TOPIC, b'{"sequence": 2}', Ledger.id_for(first))
    later = paying_account(podium, "later@example.com")
    busy_month(podium, clock, later)

    def shave(state: dict[str, Any]) -> None:
        state["amount"] -= 1

    alter_entry(podium, later, 2, shave)
    report = audit(podium.store, podium.read_store, io.StringIO())
    events = {f.subject: f for f in report.findings if f.kind == "event"}
    assert f"notification {undecodable}" in events
    assert "cannot be decoded" in events[f"notification {undecodable}"].problem
    assert ENTRY_TOPIC in events[f"notification {undecodable}"].problem
    assert f"notification {stripped}" in events
    assert events[f"notification {stripped}"].account_id == str(first)
    assert "AttributeError" in events[f"notification {stripped}"].problem
    assert (str(later), "entry 2") in {(f.account_id, f.where) for f in report.findings}
