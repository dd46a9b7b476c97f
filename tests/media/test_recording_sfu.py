"""The real SFU feeding the real raw sinks: what a publisher sends lands in WebM, untouched,
and the take composes (decisions 0022, 0025)."""

from __future__ import annotations

from pathlib import Path

import av

from media.recording.compose import compose
from media.recording.raw import RawRecorder, read_manifest, take_directory
from media.sfu import Sfu
from media.synthetic import EncodedFrame, wait_until
from tests.media.conftest import Room, audio, run, video

ANN = "ann@example.com"


def test_an_sfu_recording_a_publisher_writes_its_packets_and_the_take_composes(
    tmp_path: Path, vp8_clip: list[EncodedFrame], opus_clip: list[EncodedFrame]
) -> None:
    """Ann's camera and microphone recorded through the SFU: both files hold packets she
    sent, the video from a keyframe; the end closes them and the take composes."""
    raw = tmp_path / "raw"

    async def scenario() -> None:
        recorder = RawRecorder(raw)
        room = Room(Sfu(recording_sinks=recorder))
        try:
            publisher = await room.publish(ANN, vp8_clip, opus_clip)
            await wait_until(lambda: len(room.sfu.publishing(room.room_id, 1)) == 2)
            room.sfu.apply(room.graph({}, recorded=(video(ANN), audio(ANN))))
            directory = take_directory(raw, room.room_id, 1, 1)

            def recorded_enough() -> bool:
                live = recorder.segments(room.room_id, 1, 1)
                return len(live) == 2 and all(s.packets > 30 for s in live)

            await wait_until(recorded_enough, 30)
            room.sfu.apply(room.graph({}, ended=True))
            assert publisher.video is not None
            sent = set(publisher.video.sent)
        finally:
            await room.close()
        segments = read_manifest(directory)
        assert sorted(s.kind for s in segments) == ["audio", "video"]
        assert all(s.closed for s in segments)
        [clip] = [s for s in segments if s.kind == "video"]
        with av.open(str(directory / clip.file)) as container:
            packets = [p for p in container.demux(container.streams[0]) if p.size]
        assert packets[0].is_keyframe
        assert all(bytes(p) in sent for p in packets)
        composed = compose(directory, segments, tmp_path / "take.webm")
        assert composed is not None
        assert composed.seconds > 0.5

    run(scenario)
