"""Synthetic media for tests, the bench and ``podium media`` self-checks: made here, with PyAV.

- :func:`encode_vp8` / :func:`encode_opus` encode a clip ONCE (moving noise and bars, a tone);
  :class:`PacketSource` cycles the encoded frames as ``av.Packet`` at real-time pace, so a
  publisher costs no encoding at run time. A keyframe comes every ``keyframe_every`` frames,
  or at once on request (the source jumps to the start of the next GOP of the clip, which
  decodes cleanly: every GOP starts with a keyframe and the clip is whole GOPs long).
- :class:`SyntheticPublisher` sends such tracks over an aiortc peer connection; PLIs it
  receives reach :meth:`PacketSource.request_keyframe` (and are counted there).
- :class:`CountingSubscriber` offers recv-only slots and records each frame received, still
  encoded (``media.sfu.tap``): its bytes, pts, keyframe flag and arrival time.

Both take a ``negotiate`` coroutine (offer SDP -> answer SDP): ``Sfu.negotiate`` bound to a
peer in process, an HTTP or socket round trip elsewhere.
"""

from __future__ import annotations

import asyncio
import math
import random
import struct
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
from aiortc import RTCConfiguration, RTCPeerConnection, RTCRtpSender, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.rtcrtpreceiver import RTCRtpReceiver

from media.sfu.tap import is_keyframe, primary_ssrc, tap_encoded_frames, time_base_of

Negotiate = Callable[[str], Awaitable[str]]
VIDEO_FPS = 30
OPUS_FRAME_SAMPLES = 960  # 20 ms at 48 kHz
# Frames remembered per track for checks: 30 s of video (~5 MB at 1.5 Mbit/s), 18 s of Opus.
HISTORY = 900


@dataclass(frozen=True, slots=True)
class EncodedFrame:
    data: bytes
    keyframe: bool


def encode_vp8(
    frames: int = 60,
    width: int = 160,
    height: int = 90,
    bitrate: int = 200_000,
    keyframe_every: int = 60,
    seed: int = 1,
) -> list[EncodedFrame]:
    """``frames`` VP8 frames (rounded up to whole GOPs) of noise under moving bars.

    Noise keeps every frame near the bitrate (a realistic size for a bench), the bars make
    consecutive frames differ; the clip is made from ``seed`` alone.
    """
    frames = math.ceil(frames / keyframe_every) * keyframe_every
    codec = av.CodecContext.create("libvpx", "w")
    codec.width, codec.height = width, height
    codec.pix_fmt = "yuv420p"
    codec.time_base = Fraction(1, VIDEO_FPS)
    codec.bit_rate = bitrate
    codec.gop_size = 10 * keyframe_every  # keyframes are forced below, exactly on the GOP
    codec.options = {
        "deadline": "realtime",
        "cpu-used": "8",
        "lag-in-frames": "0",
        "minrate": str(bitrate),
        "maxrate": str(bitrate),
        "bufsize": str(bitrate),
    }
    out = [_frame("vp8", data) for data in _encode_pictures(codec, frames, keyframe_every, seed)]
    return out[:frames]


def _encode_pictures(
    codec: av.VideoCodecContext, frames: int, keyframe_every: int, seed: int
) -> list[bytes]:
    """Encode ``frames`` pictures of noise under moving bars, forcing a keyframe each GOP."""
    width, height = codec.width, codec.height
    rng = random.Random(seed)
    bars = bytes(range(0, 256, 2)) * (2 + width // 64)
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    out: list[bytes] = []
    for index in range(frames):
        picture = av.VideoFrame(width, height, "yuv420p")
        shift = (index * 4) % 128
        row = bars[shift : shift + width]
        noise = rng.randbytes(width * height // 4)
        luma = bytes(a ^ (b & 0x3F) for a, b in zip(row * (height // 4), noise, strict=False))
        _fill(picture, [luma + row * (height - height // 4), chroma, chroma])
        picture.pts = index
        if index % keyframe_every == 0:
            picture.pict_type = av.video.frame.PictureType.I
        out += [bytes(packet) for packet in codec.encode(picture)]
    out += [bytes(packet) for packet in codec.encode(None)]
    return out


def encode_h264(
    frames: int = 60,
    width: int = 160,
    height: int = 96,
    bitrate: int = 300_000,
    keyframe_every: int = 60,
    seed: int = 1,
) -> list[EncodedFrame]:
    """As :func:`encode_vp8`, in H.264 constrained baseline (Annex B, SPS/PPS before each
    IDR, as a browser sends it)."""
    frames = math.ceil(frames / keyframe_every) * keyframe_every
    codec = av.CodecContext.create("libx264", "w")
    codec.width, codec.height = width, height
    codec.pix_fmt = "yuv420p"
    codec.time_base = Fraction(1, VIDEO_FPS)
    codec.bit_rate = bitrate
    codec.gop_size = keyframe_every
    codec.options = {
        "profile": "baseline",
        "preset": "ultrafast",
        "tune": "zerolatency",
        "forced-idr": "1",
    }
    out = [_frame("h264", data) for data in _encode_pictures(codec, frames, keyframe_every, seed)]
    return out[:frames]


def encode_opus(frames: int = 50, tone_hz: float = 440.0) -> list[EncodedFrame]:
    """``frames`` Opus frames of 20 ms (stereo, 48 kHz) of a tone."""
    codec = av.CodecContext.create("libopus", "w")
    codec.sample_rate = 48000
    codec.layout = "stereo"
    codec.format = "s16"
    codec.bit_rate = 64000
    codec.time_base = Fraction(1, 48000)
    out: list[EncodedFrame] = []
    for index in range(frames + 2):  # the encoder holds a little back: encode a bit more
        samples = []
        for n in range(OPUS_FRAME_SAMPLES):
            t = (index * OPUS_FRAME_SAMPLES + n) / 48000
            value = int(8000 * math.sin(2 * math.pi * tone_hz * t))
            samples += [value, value]
        chunk = av.AudioFrame(format="s16", layout="stereo", samples=OPUS_FRAME_SAMPLES)
        chunk.sample_rate = 48000
        chunk.planes[0].update(struct.pack(f"<{len(samples)}h", *samples))
        chunk.pts = index * OPUS_FRAME_SAMPLES
        out += [EncodedFrame(bytes(p), True) for p in codec.encode(chunk)]
    return out[:frames]


def as_packets(frames: list[EncodedFrame], kind: str) -> list[tuple[av.Packet[Any], bool]]:
    """``frames`` as the SFU's tap hands them on: ``av.Packet``s on the RTP clock from 0
    (video 1/90000 at 30 fps, Opus 1/48000 every 20 ms), each with its keyframe flag."""
    step, base = (90_000 // VIDEO_FPS, Fraction(1, 90_000))
    if kind == "audio":
        step, base = OPUS_FRAME_SAMPLES, Fraction(1, 48_000)
    out: list[tuple[av.Packet[Any], bool]] = []
    for index, frame in enumerate(frames):
        packet = av.Packet(frame.data)
        packet.time_base, packet.pts, packet.dts = base, index * step, index * step
        out.append((packet, frame.keyframe))
    return out


def _fill(picture: av.VideoFrame, planes: list[bytes]) -> None:
    for plane, data in zip(picture.planes, planes, strict=True):
        width = plane.width
        if plane.line_size == width:
            plane.update(data)
        else:  # rows are padded in memory
            padding = bytes(plane.line_size - width)
            plane.update(
                b"".join(data[r * width : (r + 1) * width] + padding for r in range(plane.height))
            )


def _frame(codec: str, data: bytes) -> EncodedFrame:
    return EncodedFrame(data, is_keyframe(codec, data))


class PacketSource(MediaStreamTrack):
    """A track of pre-encoded frames, cycled, as ``av.Packet`` at real-time pace."""

    def __init__(
        self,
        kind: str,
        frames: list[EncodedFrame],
        history: int = HISTORY,
        honour_keyframe_requests: bool = True,
    ) -> None:
        super().__init__()
        # False: count requests but keep the clip's own GOP (a publisher slow to answer).
        self.honour_keyframe_requests = honour_keyframe_requests
        if not frames:
            raise ValueError("a PacketSource needs frames")
        self.kind = kind
        self._frames = frames
        self._ticks = 90000 // VIDEO_FPS if kind == "video" else OPUS_FRAME_SAMPLES
        self._period = 1 / VIDEO_FPS if kind == "video" else OPUS_FRAME_SAMPLES / 48000
        self._time_base = time_base_of(kind)
        self._index = 0
        self._count = 0
        self._start: float | None = None
        self.sent: deque[bytes] = deque(maxlen=history)  # payloads in order (for checks)
        self.keyframes_sent = 0
        self.keyframe_requests: deque[float] = deque(maxlen=history)  # monotonic times

    def request_keyframe(self) -> None:
        """Make the next frame a keyframe (jump to the next GOP start of the clip)."""
        self.keyframe_requests.append(time.monotonic())
        if not self.honour_keyframe_requests or self._frames[self._index].keyframe:
            return
        for step in range(1, len(self._frames) + 1):
            candidate = (self._index + step) % len(self._frames)
            if self._frames[candidate].keyframe:
                self._index = candidate
                return

    async def recv(self) -> av.Packet[Any]:
        if self.readyState != "live":
            raise MediaStreamError
        now = time.monotonic()
        if self._start is None:
            self._start = now
        wait = self._start + self._count * self._period - now
        if wait > 0:
            await asyncio.sleep(wait)
        frame = self._frames[self._index]
        self._index = (self._index + 1) % len(self._frames)
        packet = av.Packet(frame.data)
        packet.pts = self._count * self._ticks
        packet.time_base = self._time_base
        self._count += 1
        self.sent.append(frame.data)
        self.keyframes_sent += frame.keyframe
        return packet


def route_keyframe_requests(sender: RTCRtpSender, source: PacketSource) -> None:
    """aiortc answers a PLI by asking its *encoder* for a keyframe (``_send_keyframe``); a
    pre-encoded source has none, so this one sender's method is pointed at the source."""
    sender._send_keyframe = source.request_keyframe  # type: ignore[method-assign]


async def _connect(pc: RTCPeerConnection, negotiate: Negotiate) -> None:
    await pc.setLocalDescription(await pc.createOffer())
    answer = await negotiate(pc.localDescription.sdp)
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))


class SyntheticPublisher:
    """A client that publishes pre-encoded video and/or audio (send-only m-lines)."""

    def __init__(self, video: PacketSource | None, audio: PacketSource | None) -> None:
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.video, self.audio = video, audio
        for source in (audio, video):
            if source is not None:
                transceiver = self.pc.addTransceiver(source, direction="sendonly")
                route_keyframe_requests(transceiver.sender, source)

    async def connect(self, negotiate: Negotiate) -> None:
        await _connect(self.pc, negotiate)

    async def close(self) -> None:
        for source in (self.video, self.audio):
            if source is not None:
                source.stop()
        await self.pc.close()


@dataclass(frozen=True, slots=True)
class ReceivedFrame:
    data: bytes
    pts: int
    keyframe: bool
    arrival: float  # time.monotonic()


class CountingSubscriber:
    """A client with recv-only slots that records every frame, encoded, per slot."""

    def __init__(self, video_slots: int = 1, audio_slots: int = 1, history: int = HISTORY) -> None:
        self.pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self.video: list[deque[ReceivedFrame]] = []
        self.audio: list[deque[ReceivedFrame]] = []
        self._receivers: list[RTCRtpReceiver] = []
        for kind, count, store in (
            ("video", video_slots, self.video),
            ("audio", audio_slots, self.audio),
        ):
            for _ in range(count):
                transceiver = self.pc.addTransceiver(kind, direction="recvonly")
                frames: deque[ReceivedFrame] = deque(maxlen=history)
                store.append(frames)
                if kind == "video":
                    self._receivers.append(transceiver.receiver)
                self._tap(transceiver.receiver, kind, frames)

    def _tap(self, receiver: RTCRtpReceiver, kind: str, frames: deque[ReceivedFrame]) -> None:
        def deliver(packet: av.Packet[Any], keyframe: bool, wallclock: float) -> None:
            frames.append(ReceivedFrame(bytes(packet), packet.pts or 0, keyframe, time.monotonic()))

        # Taps before the connection starts receiving (transceivers exist, remote not set).
        tap_encoded_frames(receiver, kind, deliver)

    async def connect(self, negotiate: Negotiate) -> None:
        await _connect(self.pc, negotiate)

    async def send_pli(self, video_slot: int = 0) -> bool:
        """Send the SFU a PLI for a video slot, as a browser does on picture loss."""
        receiver = self._receivers[video_slot]
        ssrc = primary_ssrc(receiver)
        if ssrc is None:
            return False
        await receiver._send_rtcp_pli(ssrc)
        return True

    async def close(self) -> None:
        await self.pc.close()


async def wait_until(
    condition: Callable[[], bool], timeout: float = 20.0, step: float = 0.02
) -> None:
    """Poll ``condition`` until true; ``TimeoutError`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(step)
