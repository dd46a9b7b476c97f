"""Raw tracks: forwarded packets remuxed into WebM untouched, on the wall clock (0022, 0025)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import uuid4

import av

from media.graph import ForwardingGraph, Source
from media.recording.raw import RawRecorder, email_hash, read_manifest, take_directory, vp8_size
from tests.media.packets import opus_packets, vp8_packets

ALICE_VIDEO, ALICE_AUDIO = (
    Source("alice@example.com", "video"),
    Source("alice@example.com", "audio"),
)


def graph(take: int = 1) -> ForwardingGraph:
    return ForwardingGraph(uuid4(), 3, recorded=(ALICE_VIDEO, ALICE_AUDIO), take=take)


def demuxed(path: Path) -> list[av.Packet[Any]]:
    with av.open(str(path)) as container:
        return [p for p in container.demux(container.streams[0]) if p.size]


def test_packets_read_back_byte_identical_from_a_keyframe_on_the_wall_clock(
    tmp_path: Path,
) -> None:
    """Payloads come back unchanged; video starts on the first keyframe; pts is wall clock."""
    g = graph()
    recorder = RawRecorder(tmp_path)
    sink = recorder(g, ALICE_VIDEO, "VP8")
    encoded = list(vp8_packets(45, keyframe_every=15))
    start = 1_000_000.0
    # The first keyframe's predecessors stand for what arrived before it: dropped.
    leading = [p for p, key in encoded[15:20]]
    for n, packet in enumerate(leading):
        sink.write(packet, False, start - 1 + n * 0.01)
    sent = encoded[15:]
    moments = [start + n / 30 + (0.5 if n >= 20 else 0.0) for n in range(len(sent))]  # a gap
    for (packet, key), moment in zip(sent, moments, strict=True):
        sink.write(packet, key, moment)
    sink.close()
    sink.close()  # idempotent

    directory = take_directory(tmp_path, g.room_id, g.session, 1)
    [segment] = read_manifest(directory)
    assert segment.closed
    assert segment.start == start
    assert segment.email_hash == email_hash("alice@example.com")
    back = demuxed(directory / segment.file)
    assert [bytes(p) for p in back] == [bytes(p) for p, _ in sent]
    assert back[0].is_keyframe
    assert [p.pts for p in back] == [round((m - start) * 1000) for m in moments]
    with av.open(str(directory / segment.file)) as container:
        context = container.streams.video[0].codec_context
        assert (context.width, context.height) == (160, 120)
        assert sum(1 for _ in container.decode(video=0)) == len(sent)


def test_audio_and_video_of_one_take_share_one_manifest_with_their_starts(tmp_path: Path) -> None:
    """Both tracks of a take are listed, each with the wall clock of its first packet."""
    g = graph()
    recorder = RawRecorder(tmp_path)
    video, audio = recorder(g, ALICE_VIDEO, "vp8"), recorder(g, ALICE_AUDIO, "opus")
    directory = take_directory(tmp_path, g.room_id, g.session, 1)
    listed = json.loads((directory / "manifest.json").read_text())["segments"]
    assert [(s["kind"], s["closed"], s["start"]) for s in listed] == [
        ("video", False, None),
        ("audio", False, None),
    ]
    for n, (packet, key) in enumerate(vp8_packets(10)):
        video.write(packet, key, 50.0 + n / 30)
    sent = list(opus_packets(25))
    for n, packet in enumerate(sent):
        audio.write(packet, True, 50.25 + n * 0.02)
    video.close()
    segments = read_manifest(directory)
    assert [(s.kind, s.closed, s.start) for s in segments] == [
        ("video", True, 50.0),
        ("audio", False, 50.25),
    ]
    audio.close()
    assert all(s.closed for s in read_manifest(directory))
    back = demuxed(directory / segments[1].file)
    assert [bytes(p) for p in back] == [bytes(p) for p in sent]
    assert back[-1].pts == 480


def test_a_source_that_leaves_and_comes_back_in_a_take_makes_a_second_segment(
    tmp_path: Path,
) -> None:
    """Closing and reopening a source's sink within a take keeps both files, in order."""
    g = graph()
    recorder = RawRecorder(tmp_path)
    first = recorder(g, ALICE_AUDIO, "opus")
    for n, packet in enumerate(opus_packets(10)):
        first.write(packet, True, 10.0 + n * 0.02)
    first.close()
    second = recorder(g, ALICE_AUDIO, "opus")
    for n, packet in enumerate(opus_packets(10)):
        second.write(packet, True, 20.0 + n * 0.02)
    second.close()
    first.write(next(opus_packets(1)), True, 30.0)  # a late write to a closed sink: ignored
    directory = take_directory(tmp_path, g.room_id, g.session, 1)
    segments = read_manifest(directory)
    assert [(s.file.rsplit("-", 1)[1], s.start, s.closed) for s in segments] == [
        ("1.webm", 10.0, True),
        ("2.webm", 20.0, True),
    ]
    assert len(demuxed(directory / segments[0].file)) == 10


def test_a_video_sink_that_never_sees_a_keyframe_writes_no_file(tmp_path: Path) -> None:
    """Without a keyframe there is nothing decodable: the segment stays empty, and closes."""
    g = graph()
    sink = RawRecorder(tmp_path)(g, ALICE_VIDEO, "vp8")
    for n, (packet, _) in enumerate(list(vp8_packets(5))[1:]):
        sink.write(packet, False, n / 30)
    sink.close()
    directory = take_directory(tmp_path, g.room_id, g.session, 1)
    [segment] = read_manifest(directory)
    assert segment.closed
    assert segment.start is None
    assert segment.packets == 0
    assert not (directory / segment.file).exists()


def test_vp8_size_reads_a_keyframe_header_only() -> None:
    """A keyframe tells its picture size; an interframe does not."""
    packets = list(vp8_packets(2, width=320, height=180))
    assert vp8_size(bytes(packets[0][0])) == (320, 180)
    assert vp8_size(bytes(packets[1][0])) is None


def test_a_restarted_media_process_closes_what_the_dead_one_left_open(tmp_path: Path) -> None:
    """Segments open in a manifest a new process loads were a dead process's: marked closed
    (interrupted), their bytes kept, and the source's next segment numbered after them."""
    g = graph()
    dead = RawRecorder(tmp_path)(g, ALICE_AUDIO, "opus")
    for n, packet in enumerate(opus_packets(100)):
        dead.write(packet, True, 1.0 + n * 0.02)
    restarted = RawRecorder(tmp_path)
    sink = restarted(g, ALICE_AUDIO, "opus")
    sink.close()
    segments = read_manifest(take_directory(tmp_path, g.room_id, g.session, 1))
    assert [(s.file[-6:], s.closed, s.interrupted) for s in segments] == [
        ("1.webm", True, True),
        ("2.webm", True, False),
    ]
