"""podium audit: passes on a populated store, fails when a stored ledger row is altered."""

from __future__ import annotations

import io
from typing import Any

from podium.audit import AuditReport, audit
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.integration.scenario import busy_month, paying_account
from tests.integration.tamper import alter_first_stored_entry


def run_audit(podium: Podium) -> AuditReport:
    podium.projector.catch_up()
    return audit(
        podium.store.recorder, podium.store.mapper.to_domain_event, podium.read_store, io.StringIO()
    )


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
    """Changing an amount in the event store breaks that entry's hash, and the audit says so."""
    account_id = paying_account(podium, "victim@example.com")
    busy_month(podium, clock, account_id)
    podium.projector.catch_up()

    def shave(state: dict[str, Any]) -> None:
        state["amount"] = state["amount"] // 10

    alter_first_stored_entry(podium, shave)
    report = run_audit(podium)
    assert not report.ok
    text = report.render()
    assert f"account {account_id} entry 1" in text
    assert "altered" in text


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
    assert f"account {account_id}: projected entries differ from the log's" in report.render()


def test_audit_reports_a_broken_chain_when_a_hash_is_replaced(
    podium: Podium, clock: ManualClock
) -> None:
    """Recomputing one entry's hash to hide an edit still breaks the link to the next entry."""
    account_id = paying_account(podium, "chain@example.com")
    busy_month(podium, clock, account_id)

    def forge(state: dict[str, Any]) -> None:
        state["hash"] = "f" * 64

    alter_first_stored_entry(podium, forge)
    report = run_audit(podium)
    assert not report.ok
    assert "chain broken" in report.render()
