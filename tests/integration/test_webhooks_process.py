"""`podium webhooks` as its own process, killed with SIGKILL mid-delivery and restarted:
every event reaches the receiver, and deduplicated by id, exactly once (issue 11, section 7)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.settings import Settings
from podium.webhook_http import verify
from tests.e2e.helpers import expect, trial_owner
from tests.e2e.rooms import schedule
from tests.integration.smtp import free_port
from tests.integration.test_cli import PODIUM
from tests.integration.test_serve import Server
from tests.integration.webhook_receiver import Receiver, receiver


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"webhook_allow_private": True})


def _start(podium: Podium) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **podium.settings.store_variables(),
        "PODIUM_SECRET": podium.settings.secret,
        "PODIUM_WEBHOOK_ALLOW_PRIVATE": "true",
        "PODIUM_WEBHOOK_TIMEOUT": "1",
        "PODIUM_WEBHOOK_POLL_INTERVAL": "0.1",
    }
    return subprocess.Popen(
        [*PODIUM, "webhooks"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _wait(process: subprocess.Popen[bytes], done: Callable[[], bool], what: str) -> None:
    """Waiting on a condition another process makes true: look until it is, or fail."""
    deadline = time.monotonic() + 60
    while not done():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, f"the webhooks process did not {what}"
        time.sleep(0.05)


def _ids(hook: Receiver) -> list[str]:
    return [str(body["id"]) for body in hook.delivered]


def test_a_killed_webhooks_process_loses_nothing_and_repeats_only_what_was_in_flight(
    client: TestClient, podium: Podium
) -> None:
    """SIGKILL while a request is in flight; a new process sends that one again (same id) and
    the rest once: every room created is delivered, and only the interrupted one twice."""
    owner = trial_owner(client, "owner@example.com")
    rooms: list[str] = []
    with receiver() as hook:
        body = {"url": hook.url, "kinds": ["room.created"]}
        expect(client.post("/webhooks", json=body, headers=owner.headers), 201)
        rooms += [schedule(client, owner, f"Before {n}")["room_id"] for n in range(8)]
        first = _start(podium)
        try:
            _wait(first, lambda: len(hook.delivered) >= 3, "start delivering")
            hook.hold.clear()  # the next request stays open: the kill lands mid-delivery
            rooms += [schedule(client, owner, f"During {n}")["room_id"] for n in range(8)]
            _wait(first, lambda: hook.held == 1, "send while held")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=30)
        finally:
            if first.poll() is None:
                first.kill()
        interrupted = len(hook.delivered)
        hook.hold.set()  # the receiver answers 200 to a process that is gone
        with hook.arrived:
            hook.arrived.wait_for(lambda: len(hook.delivered) == interrupted + 1, 10)
        in_flight = _ids(hook)[-1]
        rooms += [schedule(client, owner, f"After {n}")["room_id"] for n in range(8)]
        second = _start(podium)
        try:
            _wait(second, lambda: len(set(_ids(hook))) >= len(rooms), "deliver everything")
        finally:
            second.terminate()
            second.wait(timeout=30)
        delivered = hook.delivered
    ids = [str(b["id"]) for b in delivered]
    assert sorted({str(b["data"]["object_id"]) for b in delivered}) == sorted(rooms)
    assert len(set(ids)) == len(rooms)  # deduplicated by id: exactly once each
    repeated = {i for i in ids if ids.count(i) > 1}
    assert repeated == {in_flight}  # at least once: only the interrupted one came twice


def test_podium_serve_delivers_webhooks_in_its_own_process(tmp_path: Path) -> None:
    """Over real HTTP to ``podium serve``: a room scheduled reaches the receiver, signed."""
    with receiver() as hook:
        server = Server(tmp_path, free_port(), PODIUM_WEBHOOK_ALLOW_PRIVATE="true")
        try:
            server.wait_until_up()
            base = server.base
            account = {"name": "Hooks", "email": "hooks@example.com", "password": "password1"}
            assert httpx.post(f"{base}/accounts", json=account).status_code == 201
            login = {"email": "hooks@example.com", "password": "password1"}
            headers = {"X-Api-Key": httpx.post(f"{base}/sessions", json=login).json()["api_key"]}
            body = {"url": hook.url, "kinds": ["room.created"]}
            created = httpx.post(f"{base}/webhooks", json=body, headers=headers).json()
            room = {"name": "Served", "permanent": True, "timezone": "UTC"}
            room_id = httpx.post(f"{base}/rooms", json=room, headers=headers).json()["room_id"]
            delivered = hook.wait_for(1, timeout=30)
        finally:
            server.stop()
    assert [b["data"]["object_id"] for b in delivered] == [room_id]
    arrived = hook.received[0]
    assert verify(arrived.headers["podium-signature"], created["secret"], arrived.body)
