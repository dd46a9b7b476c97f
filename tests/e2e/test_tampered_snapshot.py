"""Issue 7's repro: a balance raised in a ledger snapshot row is neither paid out nor hidden."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from api.app import create_app
from domain.ledger import Ledger
from podium.bootstrap import Podium, bootstrap
from podium.passwords import FastTestHasher
from tests.e2e.helpers import account, expect, paying_owner
from tests.integration.tamper import alter_snapshot
from tests.integration.test_cli import run_podium

SNAPSHOT_AT = 50


def test_an_inflated_snapshot_gives_no_money_and_fails_the_audit(
    client: TestClient, podium: Podium
) -> None:
    """After `"balance"` is raised by $10,000 in the ledger's snapshot and Podium restarts, a $1
    top-up answers the true balance plus $1, and `podium audit` names the snapshot."""
    owner = paying_owner(client, "victim@example.com")
    ledger_id = Ledger.id_for(UUID(owner.account_id))
    # Up to the snapshot and no further: a later entry would overwrite the snapshot's balance
    # with its own balance-after, and only a snapshot at the head is built on as it is.
    while podium.store.load(ledger_id).version < SNAPSHOT_AT:
        expect(client.post("/account/funds", json={"amount": 100}, headers=owner.headers), 200)
    assert podium.store.load(ledger_id).version == SNAPSHOT_AT
    true_balance = account(client, owner)["balance"]

    def inflate(state: dict[str, Any]) -> None:
        state["balance"] += 1_000_000

    alter_snapshot(podium, ledger_id, SNAPSHOT_AT, inflate)
    again = bootstrap(
        podium.settings, clock=podium.clock, gateway=podium.gateway, hasher=FastTestHasher()
    )
    try:
        with TestClient(create_app(again)) as restarted:
            topped_up = restarted.post(
                "/account/funds", json={"amount": 100}, headers=owner.headers
            )
            assert expect(topped_up, 200)["balance"] == true_balance + 100
            health = expect(restarted.get("/health"), 200)
            assert health["status"] == "degraded"
            [refused] = health["refused_snapshots"]
            assert (refused["aggregate_id"], refused["version"]) == (str(ledger_id), SNAPSHOT_AT)
            assert "podium audit" in health["problems"][0]
    finally:
        again.close()
    done = run_podium(podium.settings, "audit")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"account {owner.account_id} (ledger stream {ledger_id}) snapshot at version 50" in (
        done.stdout
    )
    assert "balance is" in done.stdout
    assert "Traceback" not in done.stderr
