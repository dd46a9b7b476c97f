"""The policy runner outside the test's process: `podium policies` on its own, and the thread
`podium serve` runs."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.helpers import expect, head, problem, trial_owner
from tests.e2e.rooms import join
from tests.e2e.test_live_sessions import end, permanent_room, start
from tests.integration.smtp import free_port
from tests.integration.test_cli import PODIUM
from tests.integration.test_serve import Server


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
    return {**os.environ, **podium.settings.store_variables()}


def test_podium_serve_runs_the_policies_in_its_own_process(tmp_path: Path) -> None:
    """Over real HTTP to ``podium serve``: a session ended frees the slot with nobody running
    anything else, and /health shows the policies' positions reaching the head."""
    server = Server(tmp_path, free_port())
    try:
        server.wait_until_up()
        base = server.base
        account = {"name": "Live", "email": "live@example.com", "password": "password1"}
        assert httpx.post(f"{base}/accounts", json=account).status_code == 201
        login = {"email": "live@example.com", "password": "password1"}
        key = httpx.post(f"{base}/sessions", json=login).json()["api_key"]
        headers = {"X-Api-Key": key}
        room = {"name": "Open Room", "permanent": True, "timezone": "UTC"}
        first, second = (
            httpx.post(f"{base}/rooms", json=room | {"name": name}, headers=headers).json()
            for name in ("One", "Two")
        )
        who = {"nickname": "Ann", "email": "ann@example.com"}
        assert httpx.post(f"{base}/rooms/{first['room_id']}/sessions", headers=headers).is_success
        assert httpx.post(f"{base}/rooms/{first['room_id']}/join", json=who).status_code == 200
        ended = httpx.post(f"{base}/rooms/{first['room_id']}/sessions/current/end", headers=headers)
        assert ended.status_code == 200
        deadline = time.monotonic() + 30
        # Waiting on a condition the server's own thread makes true.
        while True:
            health = httpx.get(f"{base}/health").json()
            if min(health["policies"].values()) >= health["head"]:
                break
            assert time.monotonic() < deadline, f"the policies did not catch up: {health}"
            time.sleep(0.05)
        joined = httpx.post(f"{base}/rooms/{second['room_id']}/join", json=who)
        assert joined.status_code == 200, joined.text
    finally:
        server.stop()
