"""A recorded take end to end (decision 0025): the SFU's sinks fed as it would feed them,
REC stopped, the composer policy stores one file, the account lists and downloads it, its
size counts against storage and its duration against the allowance. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import av
from fastapi.testclient import TestClient

from commands.storage import recording_key
from media.graph import ForwardingGraph, Source
from media.recording import PacketSink
from media.recording.raw import RawRecorder, take_directory
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import Caller, Json, expect, trial_owner
from tests.e2e.test_live_sessions import end, start
from tests.e2e.test_recording import as_attendee, open_room, presenter, press, react, usage
from tests.media.packets import opus_packets, vp8_packets

ALICE, BOB = "alice@example.com", "bob@example.com"


def graph(room: Json, take: int, *sources: Source) -> ForwardingGraph:
    return ForwardingGraph(UUID(room["room_id"]), 1, recorded=sources, take=take)


def feed(sink: PacketSink, kind: str, start: float, seconds: float, close: bool = True) -> None:
    """What the SFU does for a recorded source: its packets in order, on the wall clock."""
    if kind == "video":
        for n, (packet, key) in enumerate(vp8_packets(round(seconds * 30))):
            sink.write(packet, key, start + n / 30)
    else:
        for n, packet in enumerate(opus_packets(round(seconds * 50))):
            sink.write(packet, True, start + n * 0.02)
    if close:
        sink.close()


def listed(client: TestClient, owner: Caller) -> Json:
    return expect(client.get("/account/recordings", headers=owner.headers), 200)


def raw_take(podium: Podium, room: Json, take: int) -> Path:
    return take_directory(podium.settings.recordings_raw_dir, room["room_id"], 1, take)


def recording_session(client: TestClient, owner: Caller) -> tuple[Json, dict[str, str]]:
    room = open_room(client, owner)
    start(client, owner, room)
    speaker = as_attendee(presenter(client, room, ALICE))
    expect(press(client, room, "start", speaker), 200)
    return room, speaker


def test_a_stopped_take_becomes_one_stored_recording_with_duration_and_size(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Alice on camera and microphone, Bob on microphone a second later: REC stopped ->
    one recording listed with its duration and size, downloadable as a decodable file; the
    account's storage grows by its size and the allowance counts its stored length."""
    owner = trial_owner(client, "owner@example.com")
    room, speaker = recording_session(client, owner)
    sources = (Source(ALICE, "video"), Source(ALICE, "audio"), Source(BOB, "audio"))
    g = graph(room, 1, *sources)
    sinks = RawRecorder(podium.settings.recordings_raw_dir)
    feed(sinks(g, sources[0], "vp8"), "video", 500.0, 3.0)
    feed(sinks(g, sources[1], "opus"), "audio", 500.0, 3.0)
    feed(sinks(g, sources[2], "opus"), "audio", 501.0, 2.0)
    assert listed(client, owner)["storage"]["used_bytes"] == 0
    clock.advance(timedelta(seconds=5))  # REC to stop: 5 s; the media ran for 3
    expect(press(client, room, "stop", speaker), 200)

    react(podium)

    body = listed(client, owner)
    [row] = body["recordings"]
    assert (row["room_id"], row["session"], row["number"]) == (room["room_id"], 1, 1)
    assert abs(row["seconds"] - 3.0) < 2 / 30
    assert row["content_type"] == "video/webm"
    assert row["size_bytes"] > 1000
    assert row["created_at"] == clock.now().isoformat()
    assert body["storage"]["used_bytes"] == row["size_bytes"]
    assert usage(client, owner)["used_seconds"] == 3  # the stored length, not REC-to-stop's 5
    download = client.get(f"/account/recordings/{row['recording_id']}/file", headers=owner.headers)
    assert download.status_code == 200
    assert download.headers["content-type"] == "video/webm"
    assert len(download.content) == row["size_bytes"]
    with av.open(io.BytesIO(download.content), "r") as container:
        assert {s.type for s in container.streams} == {"video", "audio"}
        assert sum(1 for _ in container.decode(video=0)) >= 88
    assert not raw_take(podium, room, 1).exists()  # the raw tracks go once it is recorded

    stranger = trial_owner(client, "stranger@example.com")
    path = f"/account/recordings/{row['recording_id']}/file"
    assert client.get(path, headers=stranger.headers).status_code == 404
    assert listed(client, stranger)["recordings"] == []
    missing = "/account/recordings/00000000-0000-0000-0000-000000000000/file"
    assert client.get(missing, headers=owner.headers).status_code == 404
    assert client.get("/account/recordings/nope/file", headers=owner.headers).status_code == 422


class CrashAfterStoring:
    """The composer's commands, but the first record raises: a crash after the file was put
    in storage and before the event was appended."""

    def __init__(self, real: Any) -> None:
        self.real, self.crashed = real, False

    def stored(self, *args: Any) -> Any:
        if not self.crashed:
            self.crashed = True
            raise RuntimeError("the composer's process died here")
        return self.real.stored(*args)


def composer(podium: Podium) -> Any:
    [policy] = [p for p in podium.policies.policies if p.name == "compose_recording"]
    return policy


def test_a_composer_crash_after_storing_keeps_the_raw_tracks_and_stores_one_recording(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Interrupted between the store and the event: nothing listed, the raw tracks kept; run
    again: exactly one recording, one stored file, the raw tracks gone; a rewound composer
    adds nothing."""
    owner = trial_owner(client, "owner@example.com")
    room, speaker = recording_session(client, owner)
    source = Source(ALICE, "audio")
    feed(
        RawRecorder(podium.settings.recordings_raw_dir)(graph(room, 1, source), source, "opus"),
        "audio",
        10.0,
        2.0,
    )
    expect(press(client, room, "stop", speaker), 200)
    policy = composer(podium)
    real = policy.recordings
    policy.recordings = CrashAfterStoring(real)

    react(podium)

    assert "compose_recording" in podium.policies.failures()
    assert listed(client, owner)["recordings"] == []
    assert raw_take(podium, room, 1).exists()
    account_id = UUID(owner_account(client, owner))
    key = recording_key(account_id, UUID(room["room_id"]), 1, 1)
    assert podium.storage.size(key) is not None  # stored, not yet recorded

    policy.recordings = real
    podium.policies.resume("compose_recording")
    react(podium)
    podium.policies.rewind("compose_recording", 0)
    react(podium)

    [row] = listed(client, owner)["recordings"]
    assert abs(row["seconds"] - 2.0) < 2 / 30
    assert row["content_type"] == "audio/webm"
    assert not raw_take(podium, room, 1).exists()
    stored = [p for p in podium.settings.recordings_store_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert listed(client, owner)["storage"]["used_bytes"] == row["size_bytes"]


def owner_account(client: TestClient, owner: Caller) -> str:
    return str(expect(client.get("/account", headers=owner.headers), 200)["account_id"])


def test_tracks_a_crashed_media_process_never_closed_are_composed_after_the_timeout(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A sink never closed: the composer waits, then after the close timeout takes what the
    file holds."""
    owner = trial_owner(client, "owner@example.com")
    room, speaker = recording_session(client, owner)
    source = Source(ALICE, "audio")
    sink = RawRecorder(podium.settings.recordings_raw_dir)(graph(room, 1, source), source, "opus")
    feed(sink, "audio", 10.0, 5.0, close=False)  # on disk but its last second
    expect(press(client, room, "stop", speaker), 200)
    react(podium)
    assert listed(client, owner)["recordings"] == []
    assert "compose_recording" not in podium.policies.failures()  # waiting, not failed

    clock.advance(timedelta(seconds=podium.settings.recording_close_timeout + 1))
    react(podium)

    [row] = listed(client, owner)["recordings"]
    assert row["seconds"] > 3.5


def test_a_source_that_leaves_and_returns_within_a_take_is_one_recording_with_the_gap(
    client: TestClient, podium: Podium
) -> None:
    """Alice's microphone recorded 0-1 s, then (presenters only) not, then 2-3 s: her sinks
    are closed and reopened within the take; the session ends; one recording of 3 s."""
    owner = trial_owner(client, "owner@example.com")
    room, _ = recording_session(client, owner)
    source = Source(ALICE, "audio")
    sinks = RawRecorder(podium.settings.recordings_raw_dir)
    feed(sinks(graph(room, 1, source), source, "opus"), "audio", 40.0, 1.0)
    feed(sinks(graph(room, 1, source), source, "opus"), "audio", 42.0, 1.0)
    end(client, owner, room)  # the end stops the recording; the stop composes it

    react(podium)

    [row] = listed(client, owner)["recordings"]
    assert abs(row["seconds"] - 3.0) < 2 / 30
    assert (row["session"], row["number"]) == (1, 1)
