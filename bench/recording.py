"""What recording costs the SFU's event loop per track: ``TrackSink.write`` against a plain
copy of the same bytes to a file, in the same run (decision 0025).

    .venv/bin/python -m bench.recording --seconds 60

Packets are encoded once (VP8 640x360 at 30 fps and ~1.5 Mbit/s, Opus at 50 packets a
second), then written as fast as they go with wall clocks 1/30 s and 20 ms apart, so the CPU
time per second of media is the share of a core one live track costs. Prints one line per
track kind and the ratio to the copy, then how fast a take composes (off the forwarding path).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

from media.graph import ForwardingGraph, Source
from media.recording.compose import compose
from media.recording.raw import RawRecorder, read_manifest, take_directory
from media.synthetic import as_packets, encode_opus, encode_vp8

FPS, AUDIO_RATE = 30, 50


def timed(run: Callable[[], None]) -> float:
    """CPU seconds of this process ``run`` took (the event loop's cost, not the disk's)."""
    begin = time.process_time()
    run()
    return time.process_time() - begin


def measure(kind: str, packets: list[tuple[Any, bool]], rate: int, seconds: int) -> None:
    count = seconds * rate
    feed = [packets[n % len(packets)] for n in range(count)]
    # Repeated clips restart their GOP, so the cycled stream stays decodable from a keyframe.
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        graph = ForwardingGraph(uuid4(), 1, take=1)
        source = Source("bench@example.com", kind)  # type: ignore[arg-type]

        def record() -> None:
            sink = RawRecorder(root / "raw")(graph, source, "vp8" if kind == "video" else "opus")
            for n, (packet, key) in enumerate(feed):
                sink.write(packet, key, 1000.0 + n / rate)
            sink.close()

        def copy() -> None:
            with (root / "copy.bin").open("wb") as out:
                for packet, _ in feed:
                    out.write(bytes(packet))
                    out.flush()  # as the sink hands each packet to the file

        copied, recorded = timed(copy), timed(record)
        size = sum(p.size for p, _ in feed)
        print(
            f"{kind:5}  {size * 8 / seconds / 1000:7.0f} kbit/s  {rate:3d} pkt/s  "
            f"sink {recorded / seconds * 100:5.2f}% of a core  "
            f"copy {copied / seconds * 100:5.2f}%  ratio x{recorded / max(copied, 1e-9):.1f}  "
            f"({recorded / count * 1e6:.1f} us a packet)"
        )


def measure_compose(video: list[tuple[Any, bool]], audio: list[Any], seconds: int) -> None:
    """The composer off the forwarding path: one camera and two microphones for ``seconds``."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        graph = ForwardingGraph(uuid4(), 1, take=1)
        recorder = RawRecorder(root / "raw")
        tracks = [
            ("a@example.com", "video"),
            ("a@example.com", "audio"),
            ("b@example.com", "audio"),
        ]
        for email, kind in tracks:
            sink = recorder(graph, Source(email, kind), "vp8" if kind == "video" else "opus")  # type: ignore[arg-type]
            rate, clip = (FPS, video) if kind == "video" else (AUDIO_RATE, audio)
            for n in range(seconds * rate):
                packet, key = clip[n % len(clip)]
                sink.write(packet, key, 1000.0 + n / rate)
            sink.close()
        take = take_directory(root / "raw", graph.room_id, 1, 1)
        begin, cpu = time.perf_counter(), time.process_time()
        composed = compose(take, read_manifest(take), root / "take.webm")
        wall, used = time.perf_counter() - begin, time.process_time() - cpu
        assert composed is not None
        print(
            f"compose {seconds} s (1 camera 640x360, 2 microphones): {wall:.1f} s wall, "
            f"{used:.1f} s CPU: x{seconds / wall:.1f} real time"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=60, help="media seconds per track")
    parser.add_argument("--compose-seconds", type=int, default=30, help="take length composed")
    args = parser.parse_args()
    video = as_packets(encode_vp8(FPS * 4, 640, 360, 1_500_000, FPS * 2), "video")
    audio = as_packets(encode_opus(AUDIO_RATE * 4), "audio")
    measure("video", video, FPS, args.seconds)
    measure("audio", audio, AUDIO_RATE, args.seconds)
    measure_compose(video, audio, args.compose_seconds)


if __name__ == "__main__":
    main()
