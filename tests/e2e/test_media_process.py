"""``podium media`` as a process of its own, reached by the API's ``RemoteMediaPlane``: the
media process follows the log itself (polling SQLite, LISTEN/NOTIFY on PostgreSQL) and the
API sends it only signalling, with the shared secret (decision 0024)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from commands.live.media import Peer, Purpose
from domain.errors import InvalidRequestError
from media.plane import RemoteMediaPlane
from media.synthetic import (
    CountingSubscriber,
    EncodedFrame,
    PacketSource,
    SyntheticPublisher,
    encode_opus,
    encode_vp8,
    wait_until,
)
from podium.bootstrap import Podium
from tests.e2e.helpers import expect, trial_owner
from tests.e2e.test_live_audio import audio, running
from tests.e2e.test_media_forwarding import BOUND, negotiator, stalls
from tests.e2e.test_session_lifecycle import act, attendance, enter

SECRET = "media-secret-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def health(url: str) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:  # noqa: S310
            data: dict[str, Any] = json.loads(answer.read())
            return data
    except (urllib.error.URLError, OSError):
        return None


@pytest.fixture
def media_process(podium: Podium) -> Iterator[str]:
    """``podium media`` on a free port over the test's store; its URL."""
    port = free_port()
    env = {
        **os.environ,
        **podium.settings.store_variables(),
        "PODIUM_ENVIRONMENT": "test",
        "PODIUM_SECRET": podium.settings.secret,
        "PODIUM_MEDIA_SECRET": SECRET,
        "PODIUM_MEDIA_PORT": str(port),
        "PODIUM_MEDIA_POLL_INTERVAL": "0.1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "podium.cli", "media"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while health(url) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"podium media did not start: {output}")
            time.sleep(0.1)
        podium.media.plane = RemoteMediaPlane(url, SECRET, timeout=20)
        yield url
    finally:
        podium.media.plane = None
        process.terminate()
        process.wait(20)


@pytest.fixture(scope="module")
def clips() -> tuple[list[EncodedFrame], list[EncodedFrame]]:
    return encode_vp8(frames=300, keyframe_every=30), encode_opus(frames=500)


def test_the_media_process_follows_the_log_and_forwards(
    client: TestClient,
    media_process: str,
    clips: tuple[list[EncodedFrame], list[EncodedFrame]],
) -> None:
    """Offers go over HTTP to ``podium media``; the mode change the API appends reaches the
    media process through the log and the presenter's voice stops at the attendee; the end
    of the session leaves the media process following no session."""
    vp8, opus = clips
    owner = trial_owner(client, "owner@example.com")
    room, first, second = running(client, owner)
    ann = enter(client, room, "ann@example.com")
    room_id = UUID(room["room_id"])
    expect(
        client.put(f"/rooms/{room_id}/camera", json={"on": True}, headers=attendance(first)), 200
    )

    async def scenario() -> None:
        publisher = SyntheticPublisher(PacketSource("video", vp8), PacketSource("audio", opus))
        subscriber = CountingSubscriber(video_slots=1, audio_slots=2)
        try:
            await publisher.connect(negotiator(client, room, first, "publish"))
            await subscriber.connect(negotiator(client, room, ann, "receive"))

            def heard() -> int:
                return sum(len(slot) for slot in subscriber.audio)

            await wait_until(lambda: heard() >= 20 and len(subscriber.video[0]) >= 20, BOUND)
            await asyncio.to_thread(audio, client, room, second, "mode", mode="qa")
            await stalls(heard)
            await asyncio.to_thread(act, client, room, first, "end")
            await wait_until(lambda: (health(media_process) or {}).get("sessions") == 0, BOUND)
        finally:
            await publisher.close()
            await subscriber.close()

    asyncio.run(asyncio.wait_for(scenario(), 120))


def test_the_media_process_refuses_a_wrong_secret_and_bad_sdp(media_process: str) -> None:
    """Without the shared secret nothing is signalled; SDP it cannot read is a 400 the API
    passes on (as ``BadOfferError``)."""
    peer = Peer(UUID(int=1), 1, "a@example.com", "a", True, Purpose.RECEIVE)
    wrong = RemoteMediaPlane(media_process, "not-the-secret-at-all", timeout=10)
    with pytest.raises(Exception, match="401"):
        wrong.negotiate(peer, "v=0\r\n")
    with pytest.raises(InvalidRequestError):
        RemoteMediaPlane(media_process, SECRET, timeout=10).negotiate(peer, "hello")
