"""Keyframes between real peers: subscriber PLIs upstream (throttled, repeated), the GOP cache,
and NACKs answered with RTX from the slot sender's history."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from media.sfu import Sfu
from media.sfu.tap import primary_ssrc
from media.synthetic import EncodedFrame, encode_vp8, wait_until
from tests.media.conftest import Room, run, video

ANN, BOB, DAN = "ann@example.com", "bob@example.com", "dan@example.com"


@pytest.fixture(scope="module")
def long_gop_clip() -> list[EncodedFrame]:
    """Three seconds of VP8 with one keyframe: room for several repeated requests."""
    return encode_vp8(frames=90, keyframe_every=90)


def test_subscriber_plis_reach_the_publisher_throttled(vp8_clip: list[EncodedFrame]) -> None:
    """Twenty PLIs from a subscriber within a second reach the publisher as one or two."""

    async def scenario() -> None:
        room = Room(Sfu())
        try:
            publisher = await room.publish(ANN, vp8_clip)
            bob = await room.subscribe(BOB, audio=0)
            room.sfu.apply(room.graph({BOB: (video(ANN),)}))
            await wait_until(lambda: len(bob.video[0]) > 5)
            assert publisher.video is not None
            before = len(publisher.video.keyframe_requests)
            for _ in range(20):
                assert await bob.send_pli()
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)
            upstream = len(publisher.video.keyframe_requests) - before
            assert 1 <= upstream <= 2
            counters = room.sfu.stats().slots[f"{room.room_id}/1/{BOB}/video0"]
            assert counters.keyframe_requests == 20
        finally:
            await room.close()

    run(scenario)


def test_keyframe_requests_repeat_until_the_keyframe_arrives(
    long_gop_clip: list[EncodedFrame],
) -> None:
    """A publisher that does not answer hears the request again each interval, and no more
    once its keyframe has come."""

    async def scenario() -> None:
        room = Room(Sfu(keyframe_interval=0.3))
        try:
            publisher = await room.publish(ANN, long_gop_clip, honour_keyframe_requests=False)
            bob = await room.subscribe(BOB, audio=0)
            room.sfu.apply(room.graph({BOB: (video(ANN),)}))
            await wait_until(lambda: len(bob.video[0]) > 2)
            source = publisher.video
            assert source is not None
            start_keyframes = source.keyframes_sent
            assert await bob.send_pli()
            await wait_until(lambda: source.keyframes_sent > start_keyframes, timeout=30)
            asked = list(source.keyframe_requests)
            assert len(asked) >= 3
            gaps = [b - a for a, b in itertools.pairwise(asked)]
            assert all(gap >= 0.2 for gap in gaps)
            await asyncio.sleep(0.8)
            assert len(source.keyframe_requests) <= len(asked) + 1  # one may cross the keyframe
        finally:
            await room.close()

    run(scenario)


def test_a_late_subscriber_starts_from_the_cached_keyframe(vp8_clip: list[EncodedFrame]) -> None:
    """Joining mid-GOP, the first video frame is a keyframe followed by the GOP, and the
    publisher is asked for nothing."""

    async def scenario() -> None:
        room = Room(Sfu())
        try:
            publisher = await room.publish(ANN, vp8_clip)
            bob = await room.subscribe(BOB, audio=0)
            room.sfu.apply(room.graph({BOB: (video(ANN),)}))
            await wait_until(lambda: len(bob.video[0]) > 45)  # past the second keyframe
            dan = await room.subscribe(DAN, audio=0)
            room.sfu.apply(room.graph({BOB: (video(ANN),), DAN: (video(ANN),)}))
            joined = time.monotonic()
            await wait_until(lambda: len(dan.video[0]) > 10)
            first = dan.video[0][0]
            assert first.keyframe
            assert publisher.video is not None
            assert list(publisher.video.keyframe_requests) == []
            assert room.sfu.stats().keyframe_requests_sent == 0
            # It came from the cache: well before the publisher's next keyframe (1 s GOP).
            sent = list(publisher.video.sent)
            got = [f.data for f in dan.video[0]]
            start = max(i for i, data in enumerate(sent) if data == got[0])
            assert got == sent[start : start + len(got)]
            assert first.arrival - joined < 5
        finally:
            await room.close()

    run(scenario)


def test_nacks_are_answered_with_rtx_from_the_slot_history(vp8_clip: list[EncodedFrame]) -> None:
    """aiortc's sender keeps an RTP history for a slot track too: a NACK brings an RTX packet."""

    async def scenario() -> None:
        room = Room(Sfu())
        try:
            await room.publish(ANN, vp8_clip)
            bob = await room.subscribe(BOB, audio=0)
            room.sfu.apply(room.graph({BOB: (video(ANN),)}))
            await wait_until(lambda: len(bob.video[0]) > 5)
            receiver = bob.pc.getTransceivers()[0].receiver
            streams = receiver._RTCRtpReceiver__remote_streams  # type: ignore[attr-defined]
            ssrc = primary_ssrc(receiver)
            assert ssrc is not None
            newest = streams[ssrc].max_seq
            await receiver._send_rtcp_nack(ssrc, [newest - 2, newest - 1])
            await wait_until(lambda: any(key != ssrc for key in streams), timeout=20)
            rtx = next(key for key in streams if key != ssrc)
            assert streams[rtx].packets_received >= 1
        finally:
            await room.close()

    run(scenario)
