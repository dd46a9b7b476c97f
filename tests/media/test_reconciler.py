"""The reconciler follows the room feed: room-control rows recompute the graph, others do
not, and a session without peers is forgotten (decision 0024). On a ``FakeSfu``; the real SFU
runs in tests/e2e/test_media_forwarding.py."""

from __future__ import annotations

import time
from uuid import UUID

from fastapi.testclient import TestClient

from media.graph import Source
from media.plane import EmbeddedMediaPlane
from podium.bootstrap import Podium
from tests.e2e.helpers import expect, trial_owner
from tests.e2e.live_socket import connect, receive
from tests.e2e.media import offer, plane
from tests.e2e.test_live_audio import audio, running
from tests.e2e.test_session_lifecycle import attendance, enter
from tests.media.fake_sfu import FakeSfu

__all__ = ["plane"]
BOUND = 10.0
FIRST, ANN = "first@example.com", "ann@example.com"


def wait_until(condition: object, timeout: float = BOUND) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.01)
    return False


def test_only_room_control_rows_recompute_the_graph(
    client: TestClient, podium: Podium, plane: tuple[EmbeddedMediaPlane, FakeSfu]
) -> None:
    """A raised hand reaches the feed but changes no graph; a mute does, once it is
    appended, and the attendee stops receiving the muted presenter."""
    embedded, sfu = plane
    reconciler = embedded.reconciler
    assert reconciler is not None
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    ann = enter(client, room, ANN)
    room_id = UUID(room["room_id"])
    with connect(client, room, first) as one, connect(client, room, ann) as listener:
        receive(one), receive(listener)
        offer(one, "publish"), offer(listener, "receive")
        sfu.wait_for(room_id, 1, lambda g: Source(FIRST, "audio") in g.receives.get(ANN, ()), BOUND)
        assert wait_until(lambda: not reconciler._dirty)
        applied = reconciler.applied
        expect(client.post(f"/rooms/{room_id}/hand", headers=attendance(ann)), 200)
        head = podium.store.recorder.max_notification_id() or 0
        assert wait_until(lambda: reconciler.last >= head)
        assert reconciler.applied == applied
        before = time.monotonic()
        expect(audio(client, room, first, "mute", muted=True), 200)
        graph = sfu.wait_for(room_id, 1, lambda g: g.receives.get(ANN) == (), BOUND)
        took = sfu.applied_at[(room_id, 1)] - before
    assert reconciler.applied > applied
    assert graph.receives[ANN] == ()
    print(f"mute appended -> graph applied: {took * 1000:.0f} ms (request included)")


def test_a_session_without_peers_is_forgotten(
    client: TestClient, plane: tuple[EmbeddedMediaPlane, FakeSfu]
) -> None:
    """The last peer hangs up: the graph is applied once more (empty) and the reconciler
    stops following the session."""
    embedded, sfu = plane
    reconciler = embedded.reconciler
    assert reconciler is not None
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    room_id = UUID(room["room_id"])
    with connect(client, room, first) as one:
        receive(one)
        offer(one, "receive")
        sfu.wait_for(room_id, 1, lambda g: FIRST in g.receives, BOUND)
        assert (room_id, 1) in reconciler.sessions
        one.send_json({"action": "media.hang_up", "purpose": "receive", "ref": "bye"})
        sfu.wait_for(room_id, 1, lambda g: g.receives == {}, BOUND)
    assert wait_until(lambda: (room_id, 1) not in reconciler.sessions)
