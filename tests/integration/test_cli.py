"""The podium command as an operator runs it, against a store on disk."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.settings import Settings
from tests.integration.scenario import busy_month, paying_account
from tests.integration.tamper import alter_first_stored_entry

PODIUM = [sys.executable, "-m", "podium.cli"]


def run_podium(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PODIUM_STORE": settings.store, "PODIUM_DATA_DIR": str(settings.data_dir)}
    if settings.store == "postgres":
        env |= {
            "PODIUM_PG_HOST": settings.pg_host,
            "PODIUM_PG_PORT": str(settings.pg_port),
            "PODIUM_PG_USER": settings.pg_user,
            "PODIUM_PG_PASSWORD": settings.pg_password,
            "PODIUM_PG_DBNAME": settings.pg_dbname,
            "PODIUM_PG_SCHEMA": settings.pg_schema,
        }
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
