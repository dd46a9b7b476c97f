"""Real aiortc peers through the embedded media plane, steered by the log (decision 0024).

A presenter publishes pre-encoded VP8 and Opus (``media.synthetic``), an attendee receives
and counts frames; everything they do goes through the API (offers as REST, room control as
REST) and the reconciler turns the log into the SFU's graph. Bounds are generous: the
machine is shared; the latency figure is printed, not asserted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from media.graph import Source
from media.plane import EmbeddedMediaPlane
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
from tests.e2e.helpers import Json, expect, trial_owner
from tests.e2e.live_socket import connect, receive
from tests.e2e.media import offer
from tests.e2e.test_live_audio import audio, running
from tests.e2e.test_session_lifecycle import act, attendance, enter

FIRST, SECOND, ANN = "first@example.com", "second@example.com", "ann@example.com"
BOUND = 20.0


@pytest.fixture(scope="module")
def clips() -> tuple[list[EncodedFrame], list[EncodedFrame]]:
    """Ten seconds of small VP8 (a keyframe a second) and of Opus, encoded once."""
    return encode_vp8(frames=300, keyframe_every=30), encode_opus(frames=500)


@pytest.fixture
def media(podium: Podium) -> Iterator[EmbeddedMediaPlane]:
    """The real SFU and reconciler on their own loop, as ``podium serve`` runs them."""
    plane = EmbeddedMediaPlane(podium).start()
    podium.media.plane = plane
    yield plane
    podium.media.plane = None
    plane.stop()


def negotiator(client: TestClient, room: Json, credential: str, purpose: str) -> Any:
    """The client's offer as ``POST /rooms/{id}/media/offer``, from a worker thread."""

    async def negotiate(offer: str) -> str:
        answer = await asyncio.to_thread(
            client.post,
            f"/rooms/{room['room_id']}/media/offer",
            json={"purpose": purpose, "sdp": offer},
            headers=attendance(credential),
        )
        return str(expect(answer, 200)["sdp"])

    return negotiate


async def stalls(count: Callable[[], int], quiet: float = 1.0) -> None:
    """Wait until ``count`` stops growing for ``quiet`` seconds (frames no longer arrive)."""
    last, since = count(), time.monotonic()
    deadline = since + BOUND
    while time.monotonic() - since < quiet:
        if time.monotonic() > deadline:
            raise TimeoutError("frames kept arriving")
        await asyncio.sleep(0.05)
        if (now := count()) != last:
            last, since = now, time.monotonic()


def test_the_log_steers_real_media_from_a_presenter_to_an_attendee(
    client: TestClient,
    media: EmbeddedMediaPlane,
    clips: tuple[list[EncodedFrame], list[EncodedFrame]],
) -> None:
    """The presenter's camera and voice reach the attendee; a mode change by the other
    presenter stops the voice (video goes on); presenters-only stops everything; the end of
    the session closes every peer. An attendee's publish offer is refused (403)."""
    vp8, opus = clips
    owner = trial_owner(client, "owner@example.com")
    room, first, second = running(client, owner)
    ann = enter(client, room, ANN)
    room_id = UUID(room["room_id"])
    expect(
        client.put(f"/rooms/{room_id}/camera", json={"on": True}, headers=attendance(first)), 200
    )
    refused = client.post(
        f"/rooms/{room_id}/media/offer",
        json={"purpose": "publish", "sdp": "v=0\r\n"},
        headers=attendance(ann),
    )
    assert refused.status_code == 403
    reconciler = media.reconciler
    sfu = media.sfu
    assert reconciler is not None
    assert sfu is not None

    async def scenario() -> None:
        publisher = SyntheticPublisher(PacketSource("video", vp8), PacketSource("audio", opus))
        subscriber = CountingSubscriber(video_slots=1, audio_slots=2)
        try:
            await publisher.connect(negotiator(client, room, first, "publish"))
            await subscriber.connect(negotiator(client, room, ann, "receive"))

            def heard() -> int:
                return sum(len(slot) for slot in subscriber.audio)

            def seen() -> int:
                return len(subscriber.video[0])

            await wait_until(lambda: heard() >= 20 and seen() >= 20, BOUND)
            assert subscriber.video[0][0].keyframe

            before = time.monotonic()
            await asyncio.to_thread(audio, client, room, second, "mode", mode="qa")
            await wait_until(
                lambda: (
                    Source(FIRST, "audio")
                    not in reconciler.graphs.get((room_id, 1), _EMPTY).receives.get(ANN, ())
                ),
                BOUND,
            )
            print(f"mode change -> graph applied: {(time.monotonic() - before) * 1000:.0f} ms")
            await stalls(heard)
            still = seen()
            await wait_until(lambda: seen() > still + 10, BOUND)  # the camera goes on

            await asyncio.to_thread(audio, client, room, second, "mode", mode="presenters_only")
            await wait_until(
                lambda: ANN not in reconciler.graphs.get((room_id, 1), _EMPTY).receives, BOUND
            )
            await stalls(seen)

            await asyncio.to_thread(act, client, room, first, "end")
            await wait_until(lambda: not sfu.peers(room_id, 1), BOUND)
        finally:
            await publisher.close()
            await subscriber.close()

    asyncio.run(asyncio.wait_for(scenario(), 120))


class _Empty:
    receives: dict[str, tuple[Source, ...]] = {}  # noqa: RUF012 - read-only stand-in


_EMPTY = _Empty()


def socket_negotiator(socket: WebSocketTestSession, purpose: str) -> Any:
    """The client's offer as a ``media.offer`` frame on its room socket (from a thread: the
    test client's socket is synchronous)."""

    async def negotiate(sdp: str) -> str:
        answer = await asyncio.to_thread(offer, socket, purpose, sdp)
        assert answer["type"] == "answer", answer
        return str(answer["body"]["sdp"])

    return negotiate


def test_a_restarted_plane_rebuilds_from_the_log_over_the_socket(
    client: TestClient,
    podium: Podium,
    clips: tuple[list[EncodedFrame], list[EncodedFrame]],
) -> None:
    """Presenters-only is set while the first plane runs; a second plane, knowing nothing,
    forwards nothing to the attendee who reconnects, until listen-only lets them hear again.
    Offers go as ``media.offer`` frames on the room socket."""
    vp8, opus = clips
    owner = trial_owner(client, "owner@example.com")
    room, first, second = running(client, owner)
    ann = enter(client, room, ANN)
    room_id = UUID(room["room_id"])

    async def connect_both(
        speaker: WebSocketTestSession, listener: WebSocketTestSession
    ) -> tuple[SyntheticPublisher, CountingSubscriber]:
        publisher = SyntheticPublisher(PacketSource("video", vp8), PacketSource("audio", opus))
        subscriber = CountingSubscriber(video_slots=1, audio_slots=2)
        await publisher.connect(socket_negotiator(speaker, "publish"))
        await subscriber.connect(socket_negotiator(listener, "receive"))
        return publisher, subscriber

    def heard(subscriber: CountingSubscriber) -> int:
        return sum(len(slot) for slot in subscriber.audio)

    async def before_restart(speaker: WebSocketTestSession, listener: WebSocketTestSession) -> None:
        publisher, subscriber = await connect_both(speaker, listener)
        try:
            await wait_until(lambda: heard(subscriber) >= 20, BOUND)
            await asyncio.to_thread(audio, client, room, second, "mode", mode="presenters_only")
            await stalls(lambda: heard(subscriber))
        finally:
            await publisher.close()
            await subscriber.close()

    async def after_restart(
        plane: EmbeddedMediaPlane, speaker: WebSocketTestSession, listener: WebSocketTestSession
    ) -> None:
        assert plane.sfu is not None
        sfu = plane.sfu
        publisher, subscriber = await connect_both(speaker, listener)
        try:
            await wait_until(lambda: len(sfu.peers(room_id, 1)) == 2, BOUND)
            await stalls(lambda: heard(subscriber))
            assert heard(subscriber) == 0
            await asyncio.to_thread(audio, client, room, first, "mode", mode="listen_only")
            await wait_until(lambda: heard(subscriber) >= 20, BOUND)
        finally:
            await publisher.close()
            await subscriber.close()

    with connect(client, room, first) as speaker, connect(client, room, ann) as listener:
        receive(speaker), receive(listener)
        plane = EmbeddedMediaPlane(podium).start()
        podium.media.plane = plane
        try:
            asyncio.run(asyncio.wait_for(before_restart(speaker, listener), 120))
        finally:
            plane.stop()
        again = EmbeddedMediaPlane(podium).start()
        podium.media.plane = again
        try:
            asyncio.run(asyncio.wait_for(after_restart(again, speaker, listener), 120))
        finally:
            podium.media.plane = None
            again.stop()
