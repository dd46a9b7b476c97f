"""`podium policies` as its own process reacts to what a web process appended."""

from __future__ import annotations

import os
import subprocess
import time

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.helpers import expect, head, problem, trial_owner
from tests.e2e.rooms import join
from tests.e2e.test_live_sessions import end, permanent_room, start
from tests.integration.test_cli import PODIUM


def test_the_policies_process_frees_the_slot_a_session_held(
    client: TestClient, podium: Podium
) -> None:
    """With the runner in another process, the second room admits once it has caught up."""
    owner = trial_owner(client, "owner@example.com")
    first, second = permanent_room(client, owner, 5), permanent_room(client, owner, 5)
    start(client, owner, first)
    expect(join(client, first, "ann@example.com"), 200)
    end(client, owner, first)
    assert problem(join(client, second, "ben@example.com"), 409)
    target = head(podium)
    process = subprocess.Popen(
        [*PODIUM, "policies"], env=_env(podium), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 60
        # Waiting on a condition another process makes true: ask its position until it is there.
        while podium.policies.states()["free_live_slot"].position < target:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the policies process did not catch up"
            time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(timeout=30)
    expect(join(client, second, "ben@example.com"), 200)


def _env(podium: Podium) -> dict[str, str]:
    """What ``podium`` needs to open this test's store (as ``test_cli.run_podium`` passes)."""
    settings = podium.settings
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
    return env
