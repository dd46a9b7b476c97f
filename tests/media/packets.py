"""Encoded packets as the SFU forwards them (media.synthetic's PyAV-made VP8 and Opus)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import av

from media.synthetic import as_packets, encode_opus, encode_vp8


def vp8_packets(
    frames: int,
    width: int = 160,
    height: int = 120,
    keyframe_every: int = 30,
    bitrate: int = 300_000,
) -> Iterator[tuple[av.Packet[Any], bool]]:
    """``frames`` VP8 packets of a moving picture, each with whether it is a keyframe."""
    yield from as_packets(encode_vp8(frames, width, height, bitrate, keyframe_every), "video")


def opus_packets(count: int, tone: float = 440.0) -> Iterator[av.Packet[Any]]:
    """``count`` Opus packets of 20 ms of a tone (48 kHz stereo, as WebRTC sends)."""
    for packet, _ in as_packets(encode_opus(count, tone), "audio"):
        yield packet
