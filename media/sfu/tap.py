"""The encoded-frame tap: an ``RTCRtpReceiver`` that hands on frames instead of decoding them.

aiortc's receiver depayloads RTP, reassembles whole frames in its ``JitterBuffer`` and puts
``(codec, frame)`` on a ``queue.Queue`` read by a decoder thread (``decoder_worker``), which
decodes and feeds the remote track. aiortc has no public hook for "give me the encoded frame",
so :func:`tap_encoded_frames` replaces two private attributes *of one receiver instance*
(never the class, never the module: other receivers of the process keep decoding):

- the decoder queue, with :class:`_FrameTap`, whose ``put`` is called on the event loop from
  ``_handle_rtp_packet`` and turns the frame into an ``av.Packet`` right there (no thread hop,
  no decode). The decoder thread aiortc still starts in ``receive()`` blocks in our ``get``
  until the receiver stops, then ends the track as it always does;
- for Opus, the audio ``JitterBuffer(capacity=16, prefetch=4)``, with :class:`_OpusPassThrough`:
  one RTP packet is one Opus frame, and the stock buffer holds four of them back (80 ms a hop)
  for a decoder's benefit that a forwarder does not need;
- for video, the ``JitterBuffer(capacity=512)`` with :class:`MarkerJitterBuffer`: the stock one
  knows a frame is whole only when the next frame's first packet arrives (a frame, ~33 ms, a
  hop); the RTP marker bit says so as the frame's last packet lands (RFC 7741, RFC 6184).

Both are read through the mangled names (``_RTCRtpReceiver__...``), checked on install so an
aiortc upgrade that renames them fails loudly at the first connection, not silently.
"""

from __future__ import annotations

import asyncio
import fractions
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import av
from aiortc import RTCRtpReceiver
from aiortc.jitterbuffer import JitterBuffer, JitterFrame
from aiortc.rtcrtpparameters import RTCRtpCodecParameters
from aiortc.rtp import RtpPacket
from aiortc.utils import uint16_gt

logger = logging.getLogger(__name__)

VIDEO_TIME_BASE = fractions.Fraction(1, 90000)
AUDIO_TIME_BASE = fractions.Fraction(1, 48000)

# (packet, keyframe, wallclock): the tap's output, on the event loop's thread.
Deliver = Callable[["av.Packet[Any]", bool, float], None]


def is_keyframe(codec_name: str, data: bytes) -> bool:
    """Whether an encoded frame can be decoded on its own (Opus: every frame can)."""
    name = codec_name.lower()
    if name == "vp8":
        # RFC 6386 §9.1: bit 0 of the frame tag is the inverse key frame flag.
        return bool(data) and data[0] & 0x01 == 0
    if name == "h264":
        return _h264_has_idr(data)
    return True


def _h264_has_idr(data: bytes) -> bool:
    """Whether an Annex B access unit (as aiortc depayloads it) holds an IDR slice (type 5)."""
    index = data.find(b"\x00\x00\x01")
    while index != -1 and index + 3 < len(data):
        if data[index + 3] & 0x1F == 5:
            return True
        index = data.find(b"\x00\x00\x01", index + 3)
    return False


def time_base_of(kind: str) -> fractions.Fraction:
    return VIDEO_TIME_BASE if kind == "video" else AUDIO_TIME_BASE


class _FrameTap:
    """Stands in for the receiver's decoder ``queue.Queue`` (``put`` from the loop, ``get``
    from aiortc's decoder thread)."""

    def __init__(self, kind: str, deliver: Deliver) -> None:
        self._time_base = time_base_of(kind)
        self._deliver = deliver
        self._stopped = threading.Event()

    def put(self, task: tuple[RTCRtpCodecParameters, JitterFrame] | None) -> None:
        if task is None:  # the receiver stops: let the idle decoder thread end the track
            self._stopped.set()
            return
        codec, frame = task
        packet = av.Packet(frame.data)
        packet.pts = frame.timestamp  # aiortc's TimestampMapper: RTP clock, from 0
        packet.time_base = self._time_base
        try:
            self._deliver(packet, is_keyframe(codec.name, frame.data), time.time())
        except Exception:  # raised into aiortc's RTP handling it would end the transport
            logger.exception("encoded-frame tap: delivery failed; frame dropped")

    def get(self) -> None:
        self._stopped.wait()
        return None


class _OpusPassThrough:
    """A jitter buffer that releases each audio packet at once, dropping late duplicates."""

    capacity = 16

    def __init__(self) -> None:
        self._last_sequence: int | None = None

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        if self._last_sequence is not None and not uint16_gt(
            packet.sequence_number, self._last_sequence
        ):
            return False, None
        self._last_sequence = packet.sequence_number
        data: bytes = packet._data  # type: ignore[attr-defined]  # set by aiortc's depayload
        return False, JitterFrame(data=data, timestamp=packet.timestamp)


class MarkerJitterBuffer(JitterBuffer):
    """aiortc's video jitter buffer (reordering, loss, NACK-able holes kept) that also releases
    a frame as soon as its packets from the buffer's origin to the marker are all in."""

    def __init__(self) -> None:
        super().__init__(capacity=512, is_video=True)
        self._newest: int | None = None

    def add(self, packet: RtpPacket) -> tuple[bool, JitterFrame | None]:
        filled_hole = self._newest is not None and not uint16_gt(
            packet.sequence_number, self._newest
        )
        if not filled_hole:
            self._newest = packet.sequence_number
        pli_flag, frame = super().add(packet)
        if frame is None and self._origin is not None and (packet.marker or filled_hole):
            frame = self._whole_frame_at_origin()
        return pli_flag, frame

    def _whole_frame_at_origin(self) -> JitterFrame | None:
        if self._origin is None:
            return None
        first = self._packets[self._origin % self._capacity]
        if first is None:
            return None
        parts: list[bytes] = []
        for count in range(self._capacity):
            packet = self._packets[(self._origin + count) % self._capacity]
            if packet is None or packet.timestamp != first.timestamp:
                return None
            parts.append(packet._data)  # type: ignore[attr-defined]  # set by depayload
            if packet.marker:
                self.remove(count + 1)
                return JitterFrame(data=b"".join(parts), timestamp=first.timestamp)
        return None


_QUEUE = "_RTCRtpReceiver__decoder_queue"
_JITTER = "_RTCRtpReceiver__jitter_buffer"
_THREAD = "_RTCRtpReceiver__decoder_thread"
_RTX = "_RTCRtpReceiver__rtx_ssrc"
_ACTIVE = "_RTCRtpReceiver__active_ssrc"


def tap_encoded_frames(receiver: RTCRtpReceiver, kind: str, deliver: Deliver | None = None) -> None:
    """Make ``receiver`` hand on encoded frames: to ``deliver`` if given, else as ``av.Packet``
    from its remote track's ``recv()`` (the keyframe flag is then ``packet.is_keyframe``).

    Call before the connection starts receiving (from the ``track`` event, or right after
    ``setRemoteDescription``): aiortc starts its decoder thread in ``receive()``.
    """
    for name in (_QUEUE, _JITTER, _THREAD):
        if not hasattr(receiver, name):
            raise RuntimeError(f"aiortc's RTCRtpReceiver has no {name}: the tap needs updating")
    if getattr(receiver, _THREAD) is not None:
        raise RuntimeError("tap_encoded_frames must run before the receiver starts")
    if deliver is None:
        deliver = _to_track(receiver)
    setattr(receiver, _QUEUE, _FrameTap(kind, deliver))
    setattr(receiver, _JITTER, _OpusPassThrough() if kind == "audio" else MarkerJitterBuffer())


def _to_track(receiver: RTCRtpReceiver) -> Deliver:
    def deliver(packet: av.Packet[Any], keyframe: bool, wallclock: float) -> None:
        packet.is_keyframe = keyframe
        track: Any = receiver.track
        if track is not None:
            queue: asyncio.Queue[Any] = track._queue
            queue.put_nowait(packet)

    return deliver


def primary_ssrc(receiver: RTCRtpReceiver) -> int | None:
    """The SSRC media arrives on (not the RTX one): where a keyframe request must point."""
    rtx: dict[int, int] = getattr(receiver, _RTX, {})
    if rtx:
        return next(iter(rtx.values()))
    active: dict[int, Any] = getattr(receiver, _ACTIVE, {})
    return next((ssrc for ssrc in active if ssrc not in rtx), None)
