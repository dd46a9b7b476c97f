"""The composer: a take's raw segments into one decodable file of the take's length (0025)."""

from __future__ import annotations

from pathlib import Path
from uuid import uuid4

import av
import numpy as np

from media.graph import ForwardingGraph, Source
from media.recording.compose import FPS, compose
from media.recording.raw import RawRecorder, read_manifest, take_directory
from tests.media.packets import opus_packets, vp8_packets

ALICE, BOB = "alice@example.com", "bob@example.com"


def record(
    root: Path, g: ForwardingGraph, source: Source, start: float, count: int, tone: float = 440
) -> None:
    sink = RawRecorder(root)(g, source, "vp8" if source.kind == "video" else "opus")
    if source.kind == "video":
        for n, (packet, key) in enumerate(vp8_packets(count)):
            sink.write(packet, key, start + n / 30)
    else:
        for n, packet in enumerate(opus_packets(count, tone)):
            sink.write(packet, True, start + n * 0.02)
    sink.close()


def test_two_presenters_audio_and_one_video_make_one_file_of_the_takes_length(
    tmp_path: Path,
) -> None:
    """Alice talks with her camera on from 0 s; Bob talks from 1 s to 4 s: a 4 s file, both
    voices mixed where they overlap, Alice's picture throughout, and PyAV decodes it all."""
    g = ForwardingGraph(uuid4(), 1, take=1)
    root = tmp_path / "raw"
    record(root, g, Source(ALICE, "video"), 100.0, 90)  # 0 .. 3 s
    record(root, g, Source(ALICE, "audio"), 100.0, 100, tone=440)  # 0 .. 2 s
    record(root, g, Source(BOB, "audio"), 101.0, 150, tone=660)  # 1 .. 4 s
    directory = take_directory(root, g.room_id, g.session, 1)
    out = tmp_path / "take.webm"

    composed = compose(directory, read_manifest(directory), out)

    assert composed is not None
    assert composed.content_type == "video/webm"
    assert abs(composed.seconds - 4.0) < 2 / FPS
    with av.open(str(out)) as container:
        assert container.duration is not None
        assert abs(container.duration / av.time_base - 4.0) < 2 / FPS
        frames = list(container.decode(video=0))
    assert abs(len(frames) - 4 * FPS) <= 2
    assert (frames[0].width, frames[0].height) == (160, 120)
    with av.open(str(out)) as container:
        audio = np.concatenate(
            [f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]
        ).astype(np.float32)
    channels = 2  # packed stereo from the decoder
    seconds = len(audio) / 48_000 / channels
    assert abs(seconds - 4.0) < 2 / FPS

    def loudness(frm: float, to: float) -> float:
        part = audio[int(frm * 48_000) * channels : int(to * 48_000) * channels]
        return float(np.sqrt(np.mean(part.astype(np.float64) ** 2)))

    # Alice alone, both together (louder), Bob alone: every voice is in the mix.
    alone, together, bob = loudness(0.2, 0.9), loudness(1.2, 1.9), loudness(2.5, 3.5)
    assert alone > 0.05
    assert bob > 0.05
    assert together > 1.2 * max(alone, bob)


def test_the_picture_is_the_first_presenter_on_camera_then_the_next(tmp_path: Path) -> None:
    """Alice's camera 0-1 s, Bob's 0.5-2.5 s: Alice's picture first, Bob's after she leaves."""
    g = ForwardingGraph(uuid4(), 1, take=2)
    root = tmp_path / "raw"
    record(root, g, Source(ALICE, "video"), 10.0, 30)
    record(root, g, Source(BOB, "video"), 10.5, 60)
    directory = take_directory(root, g.room_id, g.session, 2)
    out = tmp_path / "take.webm"
    composed = compose(directory, read_manifest(directory), out)
    assert composed is not None
    assert abs(composed.seconds - 2.5) < 2 / FPS
    with av.open(str(out)) as container:
        assert [s.type for s in container.streams] == ["video"]
        frames = list(container.decode(video=0))
    assert abs(len(frames) - 75) <= 2


def test_a_segment_never_closed_is_read_as_far_as_it_goes(tmp_path: Path) -> None:
    """A crashed media process leaves a file unfinished: what it holds is still composed."""
    g = ForwardingGraph(uuid4(), 1, take=1)
    root = tmp_path / "raw"
    sink = RawRecorder(root)(g, Source(ALICE, "audio"), "opus")
    # 30 s: all but the last second (its cluster) has reached the file.
    for n, packet in enumerate(opus_packets(1500)):
        sink.write(packet, True, 5.0 + n * 0.02)
    # No close: the muxer never finished the file; the bytes it flushed are on disk.
    directory = take_directory(root, g.room_id, g.session, 1)
    [segment] = read_manifest(directory)
    assert not segment.closed
    composed = compose(directory, [segment], tmp_path / "take.webm")
    assert composed is not None
    assert composed.seconds > 28.0


def test_a_take_with_no_packets_composes_nothing(tmp_path: Path) -> None:
    """Sinks opened and closed without a packet: no file."""
    g = ForwardingGraph(uuid4(), 1, take=1)
    root = tmp_path / "raw"
    RawRecorder(root)(g, Source(ALICE, "audio"), "opus").close()
    directory = take_directory(root, g.room_id, g.session, 1)
    assert compose(directory, read_manifest(directory), tmp_path / "take.webm") is None
