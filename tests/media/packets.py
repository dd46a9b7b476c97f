"""Encoded packets as the SFU forwards them, made here with PyAV (VP8 video, Opus audio)."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import av
import numpy as np

VIDEO_TIME_BASE = Fraction(1, 90_000)
AUDIO_TIME_BASE = Fraction(1, 48_000)


def vp8_packets(
    frames: int,
    width: int = 160,
    height: int = 120,
    fps: int = 30,
    keyframe_every: int = 30,
    bit_rate: int = 300_000,
    noise: bool = False,
) -> Iterator[tuple[av.Packet[Any], bool]]:
    """``frames`` VP8 packets of a moving picture, each with whether it is a keyframe
    (``noise``: a noisy picture, so the packets are as large as ``bit_rate`` allows)."""
    rng = np.random.default_rng(1)
    codec: Any = av.CodecContext.create("libvpx", "w")
    codec.width, codec.height, codec.pix_fmt = width, height, "yuv420p"
    codec.time_base = Fraction(1, fps)
    codec.framerate = Fraction(fps, 1)
    codec.bit_rate = bit_rate
    codec.gop_size = keyframe_every
    rate = str(bit_rate)
    codec.options = {
        "deadline": "realtime",
        "cpu-used": "8",
        "lag-in-frames": "0",
        **({"minrate": rate, "maxrate": rate, "bufsize": rate} if noise else {}),
    }
    for n in range(frames):
        picture = np.full((height, width, 3), (n * 7) % 256, dtype=np.uint8)
        picture[:, (n * 3) % width] = 255
        if noise:
            picture ^= rng.integers(0, 64, picture.shape, dtype=np.uint8)
        frame = av.VideoFrame.from_ndarray(picture, format="rgb24").reformat(format="yuv420p")
        frame.pts = n
        for packet in codec.encode(frame):
            packet.time_base = VIDEO_TIME_BASE
            packet.pts = packet.dts = n * 90_000 // fps
            yield packet, bool(packet.is_keyframe)
    for packet in codec.encode(None):
        yield packet, bool(packet.is_keyframe)


def opus_packets(count: int, tone: float = 440.0) -> Iterator[av.Packet[Any]]:
    """``count`` Opus packets of 20 ms of a tone (48 kHz stereo, as WebRTC sends)."""
    codec: Any = av.CodecContext.create("libopus", "w")
    codec.sample_rate, codec.layout, codec.format = 48_000, "stereo", "s16"
    codec.time_base = AUDIO_TIME_BASE
    samples = 960
    made = 0
    n = 0
    while made < count:
        t = (np.arange(samples) + n * samples) / 48_000
        wave = (np.sin(2 * np.pi * tone * t) * 8000).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(
            np.repeat(wave, 2).reshape(1, -1), format="s16", layout="stereo"
        )
        frame.sample_rate, frame.pts = 48_000, n * samples
        n += 1
        for packet in codec.encode(frame):
            if made < count:
                packet.time_base = AUDIO_TIME_BASE
                made += 1
                yield packet
