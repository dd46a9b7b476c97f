"""A subscriber's slot: a server-side track whose source the SFU switches, fed frames untouched.

The slot's ``RTCRtpSender`` calls ``recv()`` and, given an ``av.Packet``, packetizes it as is
(``encoder.pack``: no encode). The sender adds a random origin of its own to the packet's pts
to make the RTP timestamp, so the slot keeps *one* timeline of its own across source switches:
``out = in + offset``, the offset chosen when a new source's first frame goes out so that the
RTP clock advances by the wall-clock time since the last frame sent (at least one frame), as a
browser's jitter buffer expects of one stream.

The queue is bounded per subscriber: a subscriber whose sender falls behind loses its backlog
and waits for the next keyframe (video; the SFU asks the publisher for one), never slowing the
publisher or the other subscribers.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from media.sfu.stats import SlotCounters
from media.sfu.tap import time_base_of

if TYPE_CHECKING:
    from media.graph import Source
    from media.sfu.feeds import SourceFeed

# Most frames a slot holds back: video must take a replayed GOP (feeds.GOP_MAX_FRAMES) at once.
VIDEO_QUEUE_FRAMES = 120
AUDIO_QUEUE_FRAMES = 50  # 1 s of 20 ms Opus frames
CLOCK_RATE = {"video": 90000, "audio": 48000}
FRAME_TICKS = {"video": 3000, "audio": 960}  # one frame at 30 fps / 20 ms


@dataclass(frozen=True, slots=True)
class ForwardedFrame:
    """One encoded frame of one source, as it arrived (pts on the source's own timeline)."""

    packet: av.Packet[Any]
    data: bytes
    pts: int
    keyframe: bool
    wallclock: float


class SlotTrack(MediaStreamTrack):
    def __init__(
        self, kind: str, key: str, counters: SlotCounters, max_queued: int | None = None
    ) -> None:
        super().__init__()
        self.kind = kind
        self.key = key
        self.counters = counters
        self.wanted: Source | None = None
        self.feed: SourceFeed | None = None
        self._max_queued = max_queued or (
            VIDEO_QUEUE_FRAMES if kind == "video" else AUDIO_QUEUE_FRAMES
        )
        self._queue: deque[tuple[int, ForwardedFrame]] = deque()
        self._ready = asyncio.Event()
        self._generation = 0  # bumped on each switch: frames are tagged with it
        self._awaiting_keyframe = kind == "video"
        self._time_base = time_base_of(kind)
        self._offset_generation = -1
        self._offset = 0
        self._last_out: int | None = None
        self._last_sent_at = 0.0

    # -- fed by the SFU, on the event loop -------------------------------------------------

    def switch(self, feed: SourceFeed | None, wanted: Source | None) -> None:
        """Take frames from ``feed`` from now on (``None``: from no one); drop the backlog."""
        self.wanted = wanted
        if feed is self.feed:
            return
        self.feed = feed
        self.counters.switches += 1
        self.counters.frames_dropped += len(self._queue)
        self._queue.clear()
        self._generation += 1
        self._awaiting_keyframe = self.kind == "video"

    def offer(self, frame: ForwardedFrame) -> None:
        """A frame of the current source: queue it, unless this slot must wait for a keyframe."""
        if len(self._queue) >= self._max_queued:
            self._overflow(frame.keyframe)
        if self._awaiting_keyframe:
            if not frame.keyframe:
                self.counters.frames_dropped += 1
                return
            self._awaiting_keyframe = False
        self._queue.append((self._generation, frame))
        self._ready.set()

    def _overflow(self, keyframe_at_hand: bool) -> None:
        self.counters.overflows += 1
        if self.kind == "audio":  # Opus frames stand alone: lose the oldest one
            self._queue.popleft()
            self.counters.frames_dropped += 1
            return
        # A video backlog is worthless without its references: drop it all, resume at the next
        # keyframe, and ask for one rather than wait out the publisher's GOP.
        self.counters.frames_dropped += len(self._queue)
        self._queue.clear()
        self._awaiting_keyframe = True
        if not keyframe_at_hand and self.feed is not None:
            self.feed.request_keyframe()

    @property
    def queued(self) -> int:
        return len(self._queue)

    # -- read by the RTCRtpSender ----------------------------------------------------------

    async def recv(self) -> av.Packet[Any]:
        while not self._queue:
            if self.readyState != "live":
                raise MediaStreamError
            self._ready.clear()
            await self._ready.wait()
        generation, frame = self._queue.popleft()
        packet = av.Packet(frame.data)
        packet.pts = self._timeline(generation, frame.pts)
        packet.time_base = self._time_base
        packet.is_keyframe = frame.keyframe
        self.counters.frames_forwarded += 1
        self.counters.bytes_forwarded += len(frame.data)
        return packet

    def _timeline(self, generation: int, pts: int) -> int:
        now = time.monotonic()
        if generation != self._offset_generation:
            self._offset_generation = generation
            if self._last_out is None:
                start = 0
            else:
                elapsed = int((now - self._last_sent_at) * CLOCK_RATE[self.kind])
                start = self._last_out + max(FRAME_TICKS[self.kind], elapsed)
            self._offset = start - pts
        out = pts + self._offset
        if self._last_out is not None and out <= self._last_out:
            out = self._last_out + 1  # never let the RTP clock step back
        self._last_out = out
        self._last_sent_at = now
        return out

    def stop(self) -> None:
        super().stop()
        self._ready.set()  # wake a recv() waiting on an empty queue so it raises

    def keyframe_requested(self) -> None:
        """The subscriber sent a PLI or FIR: pass it to the source's publisher (throttled)."""
        self.counters.keyframe_requests += 1
        if self.feed is not None:
            self.feed.request_keyframe()
