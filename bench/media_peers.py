"""The media bench's publisher and subscribers, each set in its own process (``bench.sfu``).

    python -m bench.media_peers publisher --server 127.0.0.1:PORT --out FILE
    python -m bench.media_peers subscribers --count N --server 127.0.0.1:PORT --out FILE

The publisher sends pre-encoded VP8 640x360 (~1.5 Mbit/s, a keyframe every 2 s) and Opus,
encoded once at start, so it costs next to nothing and both server paths get the very same
packets. Frame pts advance by 3,000 ± a pseudo-random few ticks, so the sequence of RTP
timestamp differences identifies each frame whatever offset a sender adds (see
``bench.media_analysis``). It records when each frame left ``recv()`` (``time.monotonic``:
one clock for every process of the machine).

A subscriber counts packets where aiortc's receiver gets them (after ICE, DTLS-SRTP and RTP
parsing; RTX unwrapped to the sequence number it repairs) and never decodes. By default that
is all it does with them (no jitter buffer, no NACKs: loss is measured unrepaired), so 60 of
them fit in one Python process on a shared core; ``--full-receivers`` passes every packet on
to aiortc's own receiver as well (still with a decoder that drops everything).

Both print ``ready`` once connected (subscribers: once every one has a video frame), then wait
for ``report T0 T1`` on stdin, write their counters as JSON to ``--out`` and exit.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import json
import math
import random
import socket
import struct
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
from aiortc import (
    MediaStreamTrack,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
    rtcrtpreceiver,
)
from aiortc.rtp import RtpPacket

FPS, WIDTH, HEIGHT, VIDEO_BITRATE = 30, 640, 360, 1_500_000
LOOP_S, GOP = 10, 60
VIDEO_TB, AUDIO_TB = Fraction(1, 90_000), Fraction(1, 48_000)
AUDIO_SAMPLES = 960  # 20 ms at 48 kHz
CACHE = Path(__file__).resolve().parent.parent / "var"


def pts_step(i: int) -> int:
    """3,000 ticks a frame, give or take up to 24, by a hash of ``i`` (no short period: a
    pattern repeating every k frames would let a wrong offset line up every frame too)."""
    return 3000 + ((i * 2654435761) % (1 << 32) >> 16) % 49 - 24


def encode_video() -> list[tuple[bytes, bool]]:
    """LOOP_S seconds of a drifting noisy gradient, as libvpx packets (data, keyframe)."""
    codec = av.CodecContext.create("libvpx", "w")
    codec.width, codec.height, codec.pix_fmt = WIDTH, HEIGHT, "yuv420p"
    codec.framerate, codec.time_base = Fraction(FPS), Fraction(1, FPS)
    # Constant bitrate: a min and max rate equal, as a live camera encoder runs; libvpx comes
    # out ~12% under its target on this content, hence the margin.
    rate = str(VIDEO_BITRATE * 9 // 8)
    codec.bit_rate, codec.gop_size = int(rate), GOP
    codec.options = {
        "deadline": "good",
        "cpu-used": "8",
        "lag-in-frames": "0",
        "minrate": rate,
        "maxrate": rate,
    }
    rng = random.Random(7)
    luma = WIDTH * HEIGHT
    pattern = bytes(((x % WIDTH) // 3 + rng.randrange(40)) % 256 for x in range(2 * luma))
    chroma = bytes([128]) * (luma // 4)
    out: list[tuple[bytes, bool]] = []
    for i in range(FPS * LOOP_S):
        frame = av.VideoFrame(WIDTH, HEIGHT, "yuv420p")
        shift = (i * 1283) % luma
        planes = (pattern[shift : shift + luma], chroma, chroma)
        for plane, data in zip(frame.planes, planes, strict=True):
            plane.update(data)
        frame.pts = i
        out.extend((bytes(p), p.is_keyframe) for p in codec.encode(frame))
    out.extend((bytes(p), p.is_keyframe) for p in codec.encode(None))
    return out


def encode_audio() -> list[bytes]:
    """LOOP_S seconds of a 440 Hz tone as 20 ms Opus packets."""
    codec = av.CodecContext.create("libopus", "w")
    codec.sample_rate, codec.layout, codec.format = 48_000, "stereo", "s16"
    codec.bit_rate = 48_000
    out: list[bytes] = []
    for i in range(LOOP_S * 50):
        samples = array.array("h")
        for n in range(i * AUDIO_SAMPLES, (i + 1) * AUDIO_SAMPLES):
            value = int(8000 * math.sin(2 * math.pi * 440 * n / 48_000))
            samples.extend((value, value))
        frame = av.AudioFrame(format="s16", layout="stereo", samples=AUDIO_SAMPLES)
        frame.planes[0].update(samples.tobytes())
        frame.sample_rate, frame.pts = 48_000, i * AUDIO_SAMPLES
        out.extend(bytes(p) for p in codec.encode(frame))
    return out


class PacketTrack(MediaStreamTrack):
    """Hands aiortc pre-encoded packets at their pace; aiortc packetizes them untouched."""

    def __init__(
        self,
        kind: str,
        packets: list[bytes],
        period: float,
        steps: Any,
        time_base: Fraction,
        sent: list[tuple[int, float]] | None,
    ) -> None:
        super().__init__()
        self.kind = kind
        self._packets, self._period, self._steps, self._tb = packets, period, steps, time_base
        self._sent = sent
        self._i, self._pts, self._start = 0, 0, 0.0

    async def recv(self) -> av.Packet[Any]:
        if self._i == 0:
            self._start = time.monotonic()
        delay = self._start + self._i * self._period - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        packet = av.Packet(self._packets[self._i % len(self._packets)])
        packet.pts, packet.time_base = self._pts, self._tb
        if self._sent is not None:
            self._sent.append((self._pts, time.monotonic()))
        self._pts = (self._pts + self._steps(self._i)) % (1 << 32)
        self._i += 1
        return packet


def prefer(pc: RTCPeerConnection, kind: str, direction: str, track: Any = None) -> None:
    """A transceiver that offers only VP8 (+RTX) or Opus, so both paths carry the same codec."""
    transceiver = pc.addTransceiver(track or kind, direction=direction)
    wanted = "video/VP8" if kind == "video" else "audio/opus"
    codecs = RTCRtpSender.getCapabilities(kind).codecs
    transceiver.setCodecPreferences(
        [c for c in codecs if c.mimeType == wanted or c.mimeType.endswith("/rtx")]
    )


async def signal(server: str, message: dict[str, Any]) -> dict[str, Any]:
    host, port = server.rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(json.dumps(message).encode() + b"\n")
    await writer.drain()
    answer: dict[str, Any] = json.loads(await reader.readline())
    writer.close()
    if "error" in answer:
        raise RuntimeError(f"server refused {message.get('role')}: {answer['error']}")
    return answer


async def connect(pc: RTCPeerConnection, server: str, role: str, email: str) -> None:
    await pc.setLocalDescription(await pc.createOffer())
    answer = await signal(server, {"role": role, "email": email, "sdp": pc.localDescription.sdp})
    await pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer"))


async def wait_for_report() -> tuple[float, float]:
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            raise SystemExit("stdin closed before the report was asked for")
        if line.startswith("report"):
            _, t0, t1 = line.split()
            return float(t0), float(t1)


def source() -> tuple[list[tuple[bytes, bool]], list[bytes]]:
    """The encoded loop, cached in var/ (encoding it takes ~10 s of a busy core)."""
    cache = CACHE / f"media-bench-source-{WIDTH}x{HEIGHT}-{VIDEO_BITRATE}.bin"
    if cache.exists():
        entries, data, at = [], cache.read_bytes(), 0
        while at < len(data):
            kind, size = struct.unpack_from(">BI", data, at)
            entries.append((kind, data[at + 5 : at + 5 + size]))
            at += 5 + size
        return [(d, k == 1) for k, d in entries if k < 2], [d for k, d in entries if k == 2]
    video, audio = encode_video(), encode_audio()
    tagged = [(int(k), d) for d, k in video] + [(2, d) for d in audio]
    cache.parent.mkdir(exist_ok=True)
    cache.write_bytes(b"".join(struct.pack(">BI", k, len(d)) + d for k, d in tagged))
    return video, audio


async def publisher(args: argparse.Namespace) -> None:
    video, audio = source()
    keyframes = sum(k for _, k in video)
    kbit = sum(len(d) for d, _ in video) * 8 / LOOP_S / 1000
    sent: list[tuple[int, float]] = []
    pc = RTCPeerConnection()
    prefer(
        pc,
        "video",
        "sendonly",
        PacketTrack("video", [d for d, _ in video], 1 / FPS, pts_step, VIDEO_TB, sent),
    )
    prefer(
        pc,
        "audio",
        "sendonly",
        PacketTrack("audio", audio, 0.02, lambda i: AUDIO_SAMPLES, AUDIO_TB, None),
    )
    await connect(pc, args.server, "publish", "presenter@bench.example")
    while pc.connectionState != "connected":
        await asyncio.sleep(0.05)
    print(f"ready {kbit:.0f} kbit/s video, {keyframes} keyframes per loop", flush=True)
    t0, t1 = await wait_for_report()
    report = {"video_kbit_s": kbit, "sent": [(p, s) for p, s in sent if t0 - 10 <= s <= t1]}
    with open(args.out, "w") as out:
        json.dump(report, out)
    await pc.close()


class NullDecoder:
    """Counting only: what a subscriber does with a frame is not the server's cost."""

    def decode(self, encoded_frame: Any) -> list[Any]:
        return []


class Counter:
    """One subscriber's packets, per media SSRC: (seq, RTP timestamp, marker, arrival)."""

    def __init__(self) -> None:
        self.packets: dict[str, list[tuple[int, int, int, float]]] = {"audio": [], "video": []}
        self.rtx = 0
        self.first_video = asyncio.Event()


COUNTERS: dict[int, tuple[Counter, str]] = {}  # id(receiver) -> counter, kind
_original_handle = rtcrtpreceiver.RTCRtpReceiver._handle_rtp_packet


async def _counting_handle(self: Any, packet: RtpPacket, arrival_time_ms: int) -> None:
    entry = COUNTERS.get(id(self))
    if entry is not None:
        counter, kind = entry
        codec = self._RTCRtpReceiver__codecs.get(packet.payload_type)
        seq = packet.sequence_number
        if codec is not None and codec.mimeType.lower().endswith("/rtx"):
            counter.rtx += 1
            seq = int.from_bytes(packet.payload[:2], "big") if len(packet.payload) >= 2 else -1
        if seq >= 0 and codec is not None:
            counter.packets[kind].append((seq, packet.timestamp, packet.marker, time.monotonic()))
            if kind == "video" and packet.marker:
                counter.first_video.set()
    if FULL_RECEIVERS:
        await _original_handle(self, packet, arrival_time_ms)


FULL_RECEIVERS = False


def install_counting(full: bool) -> None:
    """Count every packet; with ``full``, also let aiortc's receiver do what it does (jitter
    buffer, NACKs, receiver reports, bandwidth estimate), all but decoding."""
    global FULL_RECEIVERS
    FULL_RECEIVERS = full
    setattr(rtcrtpreceiver, "get_decoder", lambda codec: NullDecoder())  # noqa: B010
    rtcrtpreceiver.RTCRtpReceiver._handle_rtp_packet = _counting_handle  # type: ignore[method-assign]


async def subscriber(n: int, server: str, buffer_kb: int) -> tuple[RTCPeerConnection, Counter]:
    pc = RTCPeerConnection()
    prefer(pc, "audio", "recvonly")
    prefer(pc, "video", "recvonly")
    counter = Counter()
    for transceiver in pc.getTransceivers():
        COUNTERS[id(transceiver.receiver)] = (counter, transceiver.kind)
    await connect(pc, server, "receive", f"viewer{n}@bench.example")
    if buffer_kb:
        enlarge_receive_buffers(pc, buffer_kb * 1024)
    return pc, counter


def enlarge_receive_buffers(pc: RTCPeerConnection, size: int) -> None:
    """SO_RCVBUF of the connection's UDP sockets. The kernel's default (208 KiB, charged at
    ~2 KiB a loopback datagram) holds about one keyframe; a subscriber process holding 60 of
    them on a shared core falls behind by more than that, and its drops would be counted
    against the server (a browser is one peer a process with its own buffers)."""
    for transceiver in pc.getTransceivers():
        ice = transceiver.receiver.transport.transport
        for protocol in ice._connection._protocols:
            sock = protocol.transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)


async def subscribers(args: argparse.Namespace) -> None:
    install_counting(args.full_receivers)
    peers: list[tuple[RTCPeerConnection, Counter]] = []
    for batch in range(0, args.count, args.batch):
        size = min(args.batch, args.count - batch)
        peers += await asyncio.gather(
            *(subscriber(args.first + batch + i, args.server, args.buffer_kb) for i in range(size))
        )
    await asyncio.wait_for(
        asyncio.gather(*(c.first_video.wait() for _, c in peers)), timeout=30 + args.count
    )
    print(f"ready {len(peers)}", flush=True)
    t0, t1 = await wait_for_report()
    report = [
        {
            "video": [p for p in c.packets["video"] if t0 - 3 <= p[3] <= t1 + 2],
            "audio": [p for p in c.packets["audio"] if t0 <= p[3] <= t1],
            "rtx": c.rtx,
        }
        for _, c in peers
    ]
    with open(args.out, "w") as out:
        json.dump(report, out)
    await asyncio.gather(*(pc.close() for pc, _ in peers))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("role", choices=["publisher", "subscribers"])
    parser.add_argument("--server", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--first", type=int, default=0, help="number of the first subscriber")
    parser.add_argument("--batch", type=int, default=10, help="subscribers connecting at once")
    parser.add_argument("--full-receivers", action="store_true", help="see install_counting")
    parser.add_argument("--buffer-kb", type=int, default=0, help="subscribers' SO_RCVBUF")
    args = parser.parse_args()
    asyncio.run(publisher(args) if args.role == "publisher" else subscribers(args))


if __name__ == "__main__":
    main()
