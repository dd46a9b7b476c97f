"""The podium command as an operator runs it, against a store on disk."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.settings import Settings
from tests.integration.scenario import busy_month, paying_account
from tests.integration.tamper import ENTRY_TOPIC, alter_entry, alter_first_stored_entry

PODIUM = [sys.executable, "-m", "podium.cli"]


def run_podium(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **settings.store_variables()}
    return subprocess.run(
        [*PODIUM, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def populated(podium: Podium, clock: ManualClock) -> Podium:
    for n in range(2):
        busy_month(podium, clock, paying_account(podium, f"cli{n}@example.com"))
    podium.projector.catch_up()
    return podium


def test_podium_audit_exits_zero_on_a_sound_store(populated: Podium) -> None:
    """`podium audit` prints OK and exits 0 when every chain and the projection agree."""
    done = run_podium(populated.settings, "audit")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK" in done.stdout


def test_podium_audit_exits_non_zero_on_an_altered_row(populated: Podium) -> None:
    """`podium audit` names the altered entry and exits 1."""

    def inflate(state: dict[str, Any]) -> None:
        state["description"] = "nothing to see here"

    alter_first_stored_entry(populated, inflate)
    done = run_podium(populated.settings, "audit")
    assert done.returncode == 1
    assert "FAILED" in done.stdout
    assert "altered" in done.stdout


def test_podium_audit_reports_an_unreadable_event_instead_of_crashing(populated: Podium) -> None:
    """An event nothing can decode is named by notification id and topic, and so is the read
    model it stopped; the audit finishes its report and exits 1."""
    ids = populated.store.recorder.insert_events(
        [StoredEvent(originator_id=uuid4(), originator_version=1, topic=ENTRY_TOPIC, state=b"{")]
    )
    assert ids
    poison = ids[0]
    done = run_podium(populated.settings, "audit")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"notification {poison}: cannot be decoded ({ENTRY_TOPIC}" in done.stdout
    assert f"read model billing_history: stopped at notification {poison}" in done.stdout
    assert done.stdout.startswith("audited ")  # the whole report, not a crash


def test_podium_audit_json_and_limit_show_every_finding(populated: Podium) -> None:
    """--json gives every finding to a program; --limit caps the text and says what it left."""

    def rename(state: dict[str, Any]) -> None:
        state["description"] = "renamed"

    for account in populated.read_store.query("SELECT account_id FROM billing_ledgers"):
        alter_entry(populated, UUID(account["account_id"]), 1, rename)
    as_json = run_podium(populated.settings, "audit", "--json")
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert (report["ok"], len(report["findings"]), len(report["accounts"])) == (False, 2, 2)
    capped = run_podium(populated.settings, "audit", "--limit", "1")
    assert "1 more finding(s) left out" in capped.stdout
    assert "1 more account(s) left out" in capped.stdout


def test_podium_rebuild_reproduces_the_read_models(populated: Podium) -> None:
    """`podium rebuild` empties and replays every read model to the same rows."""
    tables = ("billing_entries", "billing_ledgers", "accounts", "subaccounts", "logins", "outbox")
    before = {t: populated.read_store.query(f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}  # noqa: S608
    done = run_podium(populated.settings, "rebuild")
    assert done.returncode == 0, done.stderr
    after = {t: populated.read_store.query(f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}  # noqa: S608
    assert after == before
    assert sum(len(rows) for rows in after.values()) > 20


def test_podium_migrate_is_idempotent(tmp_path: Path) -> None:
    """Migrating twice applies the SQL once and then reports nothing to do."""
    settings = Settings(store="sqlite", data_dir=tmp_path)
    first = run_podium(settings, "migrate")
    second = run_podium(settings, "migrate")
    assert first.returncode == 0, first.stderr
    assert "0001_read_models.sql" in first.stdout
    assert "up to date" in second.stdout
