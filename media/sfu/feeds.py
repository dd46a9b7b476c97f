"""One publisher's track at the SFU: fan-out to slots and the recorder, the keyframe cache.

**The cache holds the keyframe and every frame since** (the current GOP), not the keyframe
alone: a VP8 (or H.264) delta frame refers to the frame before it, so a new subscriber handed
the keyframe and then live deltas would decode a smeared picture until the next keyframe. The
GOP replayed in one burst gives a correct picture at once, and no publisher is asked for
anything. A GOP longer than ``GOP_MAX_FRAMES`` or ``GOP_MAX_BYTES`` (a publisher that never
sends keyframes) is not kept; a joiner then waits for the next keyframe, which it asks for.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import av

from media.graph import Source
from media.sfu.keyframes import KeyframeRequester
from media.sfu.slots import CLOCK_RATE, FRAME_TICKS, ForwardedFrame, SlotTrack
from media.sfu.stats import SourceCounters

if TYPE_CHECKING:
    from media.recording import PacketSink

logger = logging.getLogger(__name__)

GOP_MAX_FRAMES = 90  # 3 s at 30 fps; below slots.VIDEO_QUEUE_FRAMES so a replay never overflows
GOP_MAX_BYTES = 2_000_000


class RecordingTap:
    """Feeds one ``PacketSink`` from a keyframe on (video), for as long as the source is
    recorded: across the publisher's reconnects, whose pts the feeds keep continuous."""

    def __init__(self, source: Source, sink: PacketSink) -> None:
        self.source = source
        self._sink = sink
        self._awaiting_keyframe = source.kind == "video"
        self._closed = False

    def restart(self) -> None:
        """A new connection of the publisher: its first frames need a keyframe before them."""
        self._awaiting_keyframe = self.source.kind == "video"

    def offer(self, frame: ForwardedFrame) -> None:
        if self._closed:
            return
        if self._awaiting_keyframe:
            if not frame.keyframe:
                return
            self._awaiting_keyframe = False
        try:
            self._sink.write(frame.packet, frame.keyframe, frame.wallclock)
        except Exception:  # a failing recorder must not stop the forwarding
            logger.exception("recording sink of %s failed; closing it", self.source)
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._sink.close()
        except Exception:
            logger.exception("recording sink of %s failed to close", self.source)


class SourceFeed:
    def __init__(
        self,
        source: Source,
        codec_name: str,
        counters: SourceCounters,
        requester: KeyframeRequester | None,
        resume_after: tuple[int, float] | None = None,
    ) -> None:
        self.source = source
        self.codec_name = codec_name
        self.counters = counters
        self.slots: set[SlotTrack] = set()
        self.recorder: RecordingTap | None = None
        self._requester = requester
        self._gop: list[ForwardedFrame] | None = None
        self._gop_bytes = 0
        # Continue the source's timeline where its previous connection left it (the recorder
        # sees one stream); a fresh receiver's pts start at 0.
        self._pts_base = 0
        if resume_after is not None:
            last_pts, last_wallclock = resume_after
            elapsed = int(max(0.0, time.time() - last_wallclock) * CLOCK_RATE[source.kind])
            self._pts_base = last_pts + max(FRAME_TICKS[source.kind], elapsed)
        self.frames = 0  # received by this feed (its connection)
        self.last_pts = self._pts_base
        self.last_wallclock = time.time()

    def deliver(self, packet: av.Packet[Any], keyframe: bool, wallclock: float) -> None:
        """The tap's callback: one encoded frame of this source, on the event loop."""
        packet.pts = (packet.pts or 0) + self._pts_base
        packet.is_keyframe = keyframe
        data = bytes(packet)
        frame = ForwardedFrame(packet, data, packet.pts, keyframe, wallclock)
        self.last_pts, self.last_wallclock = packet.pts, wallclock
        self.frames += 1
        counters = self.counters
        counters.frames_in += 1
        counters.bytes_in += len(data)
        if self.source.kind == "video":
            self._cache(frame)
            if self.frames == 1 and not keyframe:  # the stream's opening keyframe was lost
                self.request_keyframe()
        if not self.slots and self.recorder is None:
            counters.frames_unrouted += 1
            return
        for slot in self.slots:
            slot.offer(frame)
        if self.recorder is not None:
            self.recorder.offer(frame)

    def _cache(self, frame: ForwardedFrame) -> None:
        if frame.keyframe:
            self.counters.keyframes_in += 1
            if self._requester is not None:
                self._requester.keyframe_arrived()
            self._gop, self._gop_bytes = [frame], len(frame.data)
        elif self._gop is not None:
            self._gop_bytes += len(frame.data)
            if len(self._gop) >= GOP_MAX_FRAMES or self._gop_bytes > GOP_MAX_BYTES:
                self._gop = None
            else:
                self._gop.append(frame)

    def attach(self, slot: SlotTrack) -> None:
        """Start ``slot`` on this source: from the cached GOP if there is one, else from the
        next keyframe, asked for unless the stream has not begun."""
        slot.switch(self, self.source)
        self.slots.add(slot)
        if self.source.kind != "video":
            return
        if self._gop:
            for frame in self._gop:
                slot.offer(frame)
        elif self.frames:  # (before the first frame: a stream opens with a keyframe)
            self.request_keyframe()

    def detach(self, slot: SlotTrack) -> None:
        self.slots.discard(slot)

    def record(self, recorder: RecordingTap | None) -> None:
        if recorder is self.recorder:
            return
        self.recorder = recorder
        if recorder is not None:
            recorder.restart()
            self.request_keyframe()

    def request_keyframe(self) -> None:
        if self._requester is not None:
            self._requester.request()

    def close(self) -> None:
        for slot in list(self.slots):
            slot.switch(None, slot.wanted)
        self.slots.clear()
        self.recorder = None
        if self._requester is not None:
            self._requester.close()
