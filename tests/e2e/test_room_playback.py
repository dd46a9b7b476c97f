"""The playback socket (issue 10 §6, decision 0029): a past session's room events, the same
ones live presenters got, in order, each after its original gap divided by the speed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.gateway.playback import beats
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import Json, trial_owner
from tests.e2e.live_room import LiveRoom, presenter
from tests.e2e.live_socket import connect, receive
from tests.e2e.test_live_sessions import end, permanent_room, start
from tests.e2e.test_room_replay import drain, replayed, script

STEP = 7  # seconds of the clock between two steps of the script


def play(client: TestClient, path: str) -> list[Json]:
    """Every frame of a playback, up to its end."""
    frames: list[Json] = []
    with client.websocket_connect(path) as socket:
        while not frames or frames[-1]["type"] not in ("end", "error"):
            frames.append(socket.receive_json())
        if frames[-1]["type"] == "end":
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
            assert closed.value.code == 1000
    return frames


def test_playback_sends_the_live_events_in_order_with_their_spacing_scaled(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """From the session's start at speed 2: the state there first (what GET .../state gives),
    then exactly the events a live presenter's socket got, in order, each group after half
    its original gap; from a later instant, the state there and only the events after it."""
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)

    client.app.state.playback_sleep = sleep  # type: ignore[attr-defined]
    owner = trial_owner(client, "owner@example.com")
    live = LiveRoom(owner, permanent_room(client, owner, seats=10))
    start(client, owner, live.room)
    speaker = presenter(client, live, "speaker@example.com")
    with connect(client, live.room, speaker.credential) as socket:
        since = receive(socket)["position"]
        for _name, step in script(client, live, speaker):
            clock.advance(timedelta(seconds=STEP))
            step()
        clock.advance(timedelta(seconds=STEP))
        end(client, owner, live.room)
        seen = drain(socket, podium.store.recorder.max_notification_id() or 0)
    key = owner.headers["X-Api-Key"]
    path = f"/ws{live.path}/sessions/1/playback?api_key={key}&speed=2"
    frames = play(client, path)
    first, events = frames[0], [e for f in frames[1:-1] for e in f["events"]]
    assert first["type"] == "state"
    assert first == {"type": "state", **_moment(replayed(client, live, first["position"]))}
    assert [e for e in events if e["position"] > since] == seen
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)
    # 11 steps (the script's and the end) each STEP seconds after the last: played at speed 2.
    assert sorted({round(d, 3) for d in delays}) == [0.0, STEP / 2]
    assert sum(delays) == pytest.approx(11 * STEP / 2)
    assert len(delays) == len(frames) - 2
    later = (clock.now() - timedelta(seconds=3 * STEP)).isoformat()
    delays.clear()
    frames = play(client, f"{path}&{urlencode({'from': later})}")
    assert frames[0]["state"] == replayed(client, live, later)["state"]
    assert all(e["position"] > frames[0]["position"] for f in frames[1:-1] for e in f["events"])
    assert sum(delays) == pytest.approx(3 * STEP / 2)


def _moment(answer: Json) -> Json:
    return {k: answer[k] for k in ("position", "at", "state")}


def test_spacing_is_the_original_gap_over_the_speed() -> None:
    """Events of one moment go together; a gap is measured from the moment before (or the
    start), divided by the speed; nothing waits a negative time."""
    rows: list[dict[str, Any]] = [
        {"position": 5, "at": "2026-01-01T10:00:02+00:00"},
        {"position": 6, "at": "2026-01-01T10:00:02+00:00"},
        {"position": 9, "at": "2026-01-01T10:00:10+00:00"},
        {"position": 12, "at": "2026-01-01T10:00:09+00:00"},  # a clock set back: no wait
    ]
    played = beats(rows, "2026-01-01T10:00:00+00:00", 4.0)
    assert [(b.delay, [r["position"] for r in b.events]) for b in played] == [
        (0.5, [5, 6]),
        (2.0, [9]),
        (0.0, [12]),
    ]


def test_bad_playback_requests_are_closed_with_a_reason(client: TestClient) -> None:
    """No key 4401; another account's room or an unknown session 4404; a speed out of bounds
    or not a number, or a junk ``from``, 4422: each after an error frame saying why."""
    owner = trial_owner(client, "owner@example.com")
    live = LiveRoom(owner, permanent_room(client, owner, seats=10))
    start(client, owner, live.room)
    end(client, owner, live.room)
    stranger = trial_owner(client, "stranger@example.com")
    key, other = owner.headers["X-Api-Key"], stranger.headers["X-Api-Key"]
    base = f"/ws{live.path}/sessions"
    cases = [
        (f"{base}/1/playback", 401),
        (f"{base}/1/playback?api_key={other}", 404),
        (f"{base}/2/playback?api_key={key}", 404),
        (f"/ws/rooms/nope/sessions/1/playback?api_key={key}", 404),
        (f"{base}/1/playback?api_key={key}&speed=0", 422),
        (f"{base}/1/playback?api_key={key}&speed=1000", 422),
        (f"{base}/1/playback?api_key={key}&speed=fast", 422),
        (f"{base}/1/playback?api_key={key}&from=soon", 422),
        (f"{base}/1/playback?api_key={key}&from=2000-01-01T00:00:00Z", 422),
        (f"{base}/1/playback?api_key={key}&from={'9' * 5000}", 422),  # int() would raise
    ]
    for path, status in cases:
        with client.websocket_connect(path) as socket:
            frame = socket.receive_json()
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
        assert (frame["type"], frame["status"]) == ("error", status), path
        assert frame["detail"], path
        assert closed.value.code == 4000 + status, path
