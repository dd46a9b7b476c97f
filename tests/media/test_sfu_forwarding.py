"""Forwarding: what the graph routes arrives byte-identical, and nothing else arrives."""

from __future__ import annotations

import re

from media.sfu import Sfu
from media.synthetic import EncodedFrame, encode_h264, wait_until
from tests.media.conftest import Room, audio, run, video


def test_routed_frames_arrive_byte_identical(
    vp8_clip: list[EncodedFrame], opus_clip: list[EncodedFrame]
) -> None:
    """A subscriber gets the publisher's VP8 and Opus frames untouched, in order."""

    async def scenario() -> None:
        room = Room(Sfu())
        try:
            publisher = await room.publish("ann@example.com", vp8_clip, opus_clip)
            subscriber = await room.subscribe("bob@example.com")
            room.sfu.apply(
                room.graph(
                    {"bob@example.com": (video("ann@example.com"), audio("ann@example.com"))}
                )
            )
            await wait_until(
                lambda: len(subscriber.video[0]) >= 40 and len(subscriber.audio[0]) >= 40
            )
            assert publisher.video is not None
            assert publisher.audio is not None
            sent_video = list(publisher.video.sent)
            got_video = [f.data for f in subscriber.video[0]]
            assert subscriber.video[0][0].keyframe
            start = sent_video.index(got_video[0])
            assert got_video == sent_video[start : start + len(got_video)]
            sent_audio = list(publisher.audio.sent)
            got_audio = [f.data for f in subscriber.audio[0]]
            start = sent_audio.index(got_audio[0])
            assert got_audio == sent_audio[start : start + len(got_audio)]
            pts = [f.pts for f in subscriber.video[0]]
            assert pts == sorted(pts)
        finally:
            await room.close()

    run(scenario)


def nal_units(access_unit: bytes) -> list[bytes]:
    return [nal for nal in re.split(b"\x00\x00\x00?\x01", access_unit) if nal]


def test_h264_is_forwarded_untouched_when_the_sfu_is_set_to_it(
    opus_clip: list[EncodedFrame],
) -> None:
    """With video_codec="H264" the answers pin H.264: IDRs are seen as keyframes and every
    access unit's NAL units arrive as sent (aiortc's depayloader writes 4-byte start codes
    where x264 wrote 3-byte ones: the same stream)."""
    clip = encode_h264(frames=60, keyframe_every=30)

    async def scenario() -> None:
        room = Room(Sfu(video_codec="H264"))
        try:
            publisher = await room.publish("ann@example.com", clip)
            subscriber = await room.subscribe("bob@example.com", audio=0)
            room.sfu.apply(room.graph({"bob@example.com": (video("ann@example.com"),)}))
            await wait_until(lambda: len(subscriber.video[0]) >= 40)
            assert publisher.video is not None
            sent = [nal_units(data) for data in publisher.video.sent]
            got = [nal_units(f.data) for f in subscriber.video[0]]
            assert subscriber.video[0][0].keyframe
            start = sent.index(got[0])
            assert got == sent[start : start + len(got)]
            assert "H264" in subscriber.pc.remoteDescription.sdp
            assert "VP8" not in subscriber.pc.remoteDescription.sdp
        finally:
            await room.close()

    run(scenario)
