"""A slot and a feed without the network: queue bounds, keyframe waits, the RTP timeline."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import av
from aiortc.rtp import RtpPacket

from media.graph import Source
from media.sfu.feeds import GOP_MAX_FRAMES, RecordingTap, SourceFeed
from media.sfu.keyframes import KeyframeRequester
from media.sfu.slots import SlotTrack
from media.sfu.stats import SlotCounters, SourceCounters
from media.sfu.tap import MarkerJitterBuffer, is_keyframe
from tests.media.conftest import run

KEY = b"\x10\x02\x00\x9d\x01\x2a"  # VP8 frame tag with bit 0 clear: a keyframe
DELTA = b"\x11\x02\x00"


class Upstream:
    """Counts the PLIs a feed sends its publisher."""

    def __init__(self) -> None:
        self.plis: list[float] = []

    async def send_pli(self) -> bool:
        self.plis.append(time.monotonic())
        return True


def video_feed(upstream: Upstream, interval: float = 1.0) -> SourceFeed:
    counters = SourceCounters()
    requester = KeyframeRequester(upstream.send_pli, counters, interval)
    return SourceFeed(Source("ann@example.com", "video"), "VP8", counters, requester)


def packet(data: bytes, pts: int) -> av.Packet[Any]:
    p = av.Packet(data)
    p.pts = pts
    return p


def frames(feed: SourceFeed, start: int, pattern: str) -> None:
    """Deliver frames: K a keyframe, d a delta, 3000 ticks apart."""
    for offset, kind in enumerate(pattern):
        data = (KEY if kind == "K" else DELTA) + bytes([(start + offset) % 256])
        feed.deliver(packet(data, (start + offset) * 3000), kind == "K", time.time())


def test_keyframe_flags() -> None:
    """VP8's inverse key flag, H.264's IDR NAL type, Opus always."""
    assert is_keyframe("VP8", KEY)
    assert not is_keyframe("VP8", DELTA)
    assert is_keyframe("H264", b"\x00\x00\x00\x01\x67\x42\x00\x00\x00\x01\x65\x88")
    assert not is_keyframe("H264", b"\x00\x00\x00\x01\x41\x9a")
    assert is_keyframe("opus", b"\xfc")


def test_overflow_drops_to_the_next_keyframe_and_asks_for_one() -> None:
    """A slot whose sender falls behind loses its backlog, skips deltas, resumes at a keyframe."""

    async def scenario() -> None:
        upstream = Upstream()
        feed = video_feed(upstream)
        slot = SlotTrack("video", "s", SlotCounters(), max_queued=4)
        frames(feed, 0, "K")
        feed.attach(slot)  # replays the cached keyframe
        frames(feed, 1, "ddd")  # queue full: 4
        assert slot.queued == 4
        frames(feed, 4, "dd")  # overflow: backlog gone, deltas refused
        assert slot.queued == 0
        assert slot.counters.overflows == 1
        await asyncio.sleep(0)
        assert len(upstream.plis) == 1  # asked at once, not after the publisher's GOP
        frames(feed, 6, "Kd")
        assert slot.queued == 2
        first = await slot.recv()
        assert first.is_keyframe
        assert slot.counters.frames_dropped == 4 + 2

    run(scenario)


def test_late_slot_starts_from_the_cached_gop_without_asking() -> None:
    """A slot attached mid-GOP gets the keyframe and every frame since, and no PLI goes up."""

    async def scenario() -> None:
        upstream = Upstream()
        feed = video_feed(upstream)
        frames(feed, 0, "Kdd")
        slot = SlotTrack("video", "s", SlotCounters())
        feed.attach(slot)
        got = [await slot.recv() for _ in range(3)]
        assert [bytes(p)[-1] for p in got] == [0, 1, 2]
        assert got[0].is_keyframe
        await asyncio.sleep(0)
        assert upstream.plis == []

    run(scenario)


def test_too_long_a_gop_is_not_replayed() -> None:
    """Past GOP_MAX_FRAMES the cache is given up: a joiner waits for a keyframe it asks for."""

    async def scenario() -> None:
        upstream = Upstream()
        feed = video_feed(upstream)
        frames(feed, 0, "K" + "d" * GOP_MAX_FRAMES)
        slot = SlotTrack("video", "s", SlotCounters())
        feed.attach(slot)
        assert slot.queued == 0
        await asyncio.sleep(0)
        assert len(upstream.plis) == 1

    run(scenario)


def test_keyframe_requests_are_throttled_and_repeated_until_the_keyframe() -> None:
    """Many requests make one PLI per interval, repeated while no keyframe comes, then none."""

    async def scenario() -> None:
        upstream = Upstream()
        feed = video_feed(upstream, interval=0.2)
        frames(feed, 0, "K")
        for _ in range(50):
            feed.request_keyframe()
        await asyncio.sleep(0.5)  # sent at 0, repeated at ~0.2 and ~0.4
        assert 2 <= len(upstream.plis) <= 4
        gaps = [b - a for a, b in zip(upstream.plis, upstream.plis[1:], strict=False)]
        assert all(gap >= 0.15 for gap in gaps)
        frames(feed, 1, "K")
        sent = len(upstream.plis)
        await asyncio.sleep(0.5)
        assert len(upstream.plis) == sent
        assert feed.counters.keyframe_requests_received == 50

    run(scenario)


def test_switching_source_keeps_one_rising_timeline() -> None:
    """Frames of a new source continue the slot's pts (the sender's RTP clock never steps back)."""

    async def scenario() -> None:
        upstream = Upstream()
        first, second = video_feed(upstream), video_feed(upstream)
        frames(first, 1000, "Kd")  # pts 3_000_000...
        frames(second, 0, "K")  # pts 0
        slot = SlotTrack("video", "s", SlotCounters())
        first.attach(slot)
        a = [await slot.recv() for _ in range(2)]
        first.detach(slot)
        second.attach(slot)
        b = await slot.recv()
        pts = [p.pts or 0 for p in [*a, b]]
        assert pts[1] - pts[0] == 3000
        assert pts[2] > pts[1]

    run(scenario)


def test_audio_overflow_loses_the_oldest_frame() -> None:
    """Opus frames stand alone: a full audio slot drops its oldest, never waits."""

    async def scenario() -> None:
        counters = SourceCounters()
        feed = SourceFeed(Source("ann@example.com", "audio"), "opus", counters, None)
        slot = SlotTrack("audio", "a", SlotCounters(), max_queued=3)
        feed.attach(slot)
        for index in range(5):
            feed.deliver(packet(bytes([index]), index * 960), True, time.time())
        assert [bytes(await slot.recv()) for _ in range(3)] == [b"\x02", b"\x03", b"\x04"]
        assert slot.counters.frames_dropped == 2

    run(scenario)


class ListSink:
    def __init__(self) -> None:
        self.written: list[tuple[bytes, bool, int | None]] = []
        self.closed = 0

    def write(self, packet: av.Packet[Any], keyframe: bool, wallclock: float) -> None:
        self.written.append((bytes(packet), keyframe, packet.pts))

    def close(self) -> None:
        self.closed += 1


def test_recording_starts_at_a_keyframe_and_a_reconnect_keeps_pts_rising() -> None:
    """The sink gets frames from the next keyframe; a new feed of the source continues its pts."""

    async def scenario() -> None:
        upstream = Upstream()
        feed = video_feed(upstream)
        sink = ListSink()
        tap = RecordingTap(feed.source, sink)
        frames(feed, 0, "K")
        feed.record(tap)
        await asyncio.sleep(0)
        assert len(upstream.plis) == 1  # the recorder asks for a fresh keyframe
        frames(feed, 1, "dK")
        assert [keyframe for _, keyframe, _ in sink.written] == [True]
        feed.close()
        again = SourceFeed(
            feed.source, "VP8", SourceCounters(), None, (feed.last_pts, feed.last_wallclock)
        )
        again.record(tap)
        again.deliver(packet(DELTA, 0), False, time.time())
        again.deliver(packet(KEY, 3000), True, time.time())
        pts = [p for _, _, p in sink.written]
        assert len(pts) == 2
        assert pts[1] is not None
        assert pts[0] is not None
        assert pts[1] > pts[0]
        tap.close()
        tap.close()
        assert sink.closed == 1

    run(scenario)


def test_a_slot_attached_before_the_stream_begins_asks_for_nothing() -> None:
    """A stream opens with a keyframe: no PLI for it, unless its first frame is a delta."""

    async def scenario() -> None:
        upstream = Upstream()
        feed = video_feed(upstream)
        slot = SlotTrack("video", "s", SlotCounters())
        feed.attach(slot)
        frames(feed, 0, "Kd")
        await asyncio.sleep(0)
        assert upstream.plis == []
        assert slot.queued == 2
        lossy = video_feed(upstream)
        lossy.attach(SlotTrack("video", "t", SlotCounters()))
        frames(lossy, 0, "d")
        await asyncio.sleep(0)
        assert len(upstream.plis) == 1

    run(scenario)


def rtp(sequence: int, timestamp: int, data: bytes, marker: bool = False) -> RtpPacket:
    packet = RtpPacket(sequence_number=sequence, timestamp=timestamp, marker=int(marker))
    packet._data = data  # type: ignore[attr-defined]  # what aiortc's depayload sets
    return packet


def test_a_video_frame_is_released_at_its_marker_not_at_the_next_frame() -> None:
    """The tap's jitter buffer hands a frame on when its last packet lands, also when a
    reordered packet completes it, and never a frame with a hole."""
    buffer = MarkerJitterBuffer()
    assert buffer.add(rtp(100, 9000, b"a"))[1] is None
    frame = buffer.add(rtp(101, 9000, b"b", marker=True))[1]
    assert frame is not None
    assert (frame.data, frame.timestamp) == (b"ab", 9000)
    assert buffer.add(rtp(102, 12000, b"c"))[1] is None
    assert buffer.add(rtp(104, 12000, b"e", marker=True))[1] is None  # 103 missing
    frame = buffer.add(rtp(103, 12000, b"d"))[1]  # the retransmission fills the hole
    assert frame is not None
    assert frame.data == b"cde"
    frame = buffer.add(rtp(105, 15000, b"f", marker=True))[1]
    assert frame is not None
    assert frame.data == b"f"
