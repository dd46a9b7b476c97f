"""A silent socket is a leave after the grace period; a socket that answers pings stays."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from podium.bootstrap import Podium
from podium.settings import Settings
from tests.e2e.helpers import trial_owner
from tests.e2e.live_socket import connect, credential, room_with_session


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Pings every 0.1 s, silence closes after 0.6 s, and the leave follows 0.1 s later."""
    return settings.model_copy(
        update={"ws_ping_interval": 0.1, "ws_silence_limit": 0.6, "ws_leave_grace": 0.1}
    )


def wait_until(condition: object, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        pause.wait(0.02)
    return False


def test_a_socket_gone_silent_is_closed_and_its_holder_leaves(
    client: TestClient, podium: Podium
) -> None:
    """No pong past the limit: the server closes with 4408, and after the grace the person is
    out of the session (their seat is given back, the presence list shows them gone)."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    pings = 0
    code = None
    with connect(client, room, ann) as socket:
        assert socket.receive_json()["type"] == "snapshot"
        while code is None:
            try:
                pings += socket.receive_json()["type"] == "ping"
            except WebSocketDisconnect as closed:
                code = closed.code
    assert code == 4408
    assert pings >= 2
    assert wait_until(lambda: not podium.views.rooms.present(room["room_id"], 1))
    assert podium.views.rooms.admissions(room["room_id"])[0]["left_at"] is not None


def test_a_socket_that_answers_pings_stays_open_past_the_limit(
    client: TestClient, podium: Podium
) -> None:
    """Answering each ping with a pong keeps the socket open well past the silence limit."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    with connect(client, room, ann) as socket:
        assert socket.receive_json()["type"] == "snapshot"
        started = time.monotonic()
        while time.monotonic() - started < 1.5:  # 2.5 silence limits
            assert socket.receive_json()["type"] == "ping"
            socket.send_json({"action": "pong"})
        socket.send_json({"action": "ping"})
        while (frame := socket.receive_json())["type"] == "ping":
            pass
        assert frame == {"type": "pong"}
        assert [p["nickname"] for p in podium.views.rooms.present(room["room_id"], 1)] == ["Ann"]
