"""The recording hook: a sink per recorded source, fed from a keyframe, closed when done."""

from __future__ import annotations

import asyncio
from typing import Any

import av

from media.graph import ForwardingGraph, Source
from media.sfu import Sfu
from media.synthetic import EncodedFrame, wait_until
from tests.media.conftest import Room, audio, run, video

ANN, BOB = "ann@example.com", "bob@example.com"


class ListSink:
    """Keeps what it is given (the recording helper's real sink writes WebM)."""

    def __init__(self, source: Source, codec: str) -> None:
        self.source, self.codec = source, codec
        self.written: list[tuple[bytes, bool, int, float]] = []
        self.closed = False

    def write(self, packet: av.Packet[Any], keyframe: bool, wallclock: float) -> None:
        assert not self.closed
        self.written.append((bytes(packet), keyframe, packet.pts or 0, wallclock))

    def close(self) -> None:
        self.closed = True


def test_recorded_sources_are_fed_from_a_keyframe_and_closed_when_no_longer_recorded(
    vp8_clip: list[EncodedFrame], opus_clip: list[EncodedFrame]
) -> None:
    """Recording needs no subscriber; video starts at a keyframe; leaving recorded or the end
    of the session closes the sink."""

    async def scenario() -> None:
        sinks: list[ListSink] = []

        def factory(graph: ForwardingGraph, source: Source, codec: str) -> ListSink:
            sinks.append(ListSink(source, codec))
            return sinks[-1]

        room = Room(Sfu(recording_sinks=factory))
        try:
            publisher = await room.publish(ANN, vp8_clip, opus_clip)
            await wait_until(lambda: len(room.sfu.publishing(room.room_id, 1)) == 2)
            room.sfu.apply(room.graph({}, recorded=(video(ANN), audio(ANN))))
            await wait_until(lambda: len(sinks) == 2 and all(len(s.written) > 20 for s in sinks))
            by_kind = {s.source.kind: s for s in sinks}
            assert (by_kind["video"].codec, by_kind["audio"].codec) == ("VP8", "opus")
            assert by_kind["video"].written[0][1]  # a keyframe first
            assert publisher.video is not None
            sent = set(publisher.video.sent)
            assert all(data in sent for data, *_ in by_kind["video"].written)
            pts = [p for _, _, p, _ in by_kind["video"].written]
            assert pts == sorted(pts)
            room.sfu.apply(room.graph({BOB: ()}, recorded=(audio(ANN),)))
            assert by_kind["video"].closed
            assert not by_kind["audio"].closed
            await asyncio.sleep(0.3)
            room.sfu.apply(room.graph({}, recorded=(audio(ANN),), ended=True))
            assert by_kind["audio"].closed
            assert len(sinks) == 2
        finally:
            await room.close()

    run(scenario)
