"""The graph is enforced at the SFU: only what it routes arrives, and it follows changes."""

from __future__ import annotations

import asyncio
import itertools
import uuid

import pytest

from commands.live.media import Purpose
from media.sfu import SessionEndedError, Sfu
from media.synthetic import CountingSubscriber, EncodedFrame, encode_vp8, wait_until
from tests.media.conftest import Room, audio, run, video

ANN, BOB, CAT, DAN = "ann@example.com", "bob@example.com", "cat@example.com", "dan@example.com"


def test_nothing_is_forwarded_before_the_first_graph_nor_what_it_leaves_out(
    vp8_clip: list[EncodedFrame], opus_clip: list[EncodedFrame]
) -> None:
    """Frames reach a subscriber only once a graph routes them; an unrouted source reaches
    no one and is counted dropped at the SFU."""

    async def scenario() -> None:
        room = Room(Sfu())
        try:
            await room.publish(ANN, vp8_clip, opus_clip)
            await room.publish(CAT, vp8_clip, opus_clip)
            bob = await room.subscribe(BOB)
            await wait_until(lambda: len(room.sfu.publishing(room.room_id, room.session)) == 4)
            await asyncio.sleep(0.5)
            assert not bob.video[0]
            assert not bob.audio[0]
            room.sfu.apply(room.graph({BOB: (video(ANN), audio(ANN))}))
            await wait_until(lambda: len(bob.video[0]) > 10 and len(bob.audio[0]) > 10)
            stats = room.sfu.stats()
            cat_video = stats.sources[f"{room.room_id}/1/{CAT}/video"]
            assert cat_video.frames_in > 0
            assert cat_video.frames_unrouted == cat_video.frames_in
            ann_video = stats.sources[f"{room.room_id}/1/{ANN}/video"]
            assert ann_video.frames_unrouted < ann_video.frames_in
        finally:
            await room.close()

    run(scenario)


def test_a_source_dropped_from_the_graph_stops_arriving(vp8_clip: list[EncodedFrame]) -> None:
    """Removing a source from a subscriber stops its frames; the other subscriber keeps it."""

    async def scenario() -> None:
        room = Room(Sfu())
        try:
            await room.publish(ANN, vp8_clip)
            bob = await room.subscribe(BOB, audio=0)
            dan = await room.subscribe(DAN, audio=0)
            room.sfu.apply(room.graph({BOB: (video(ANN),), DAN: (video(ANN),)}))
            await wait_until(lambda: len(bob.video[0]) > 5 and len(dan.video[0]) > 5)
            room.sfu.apply(room.graph({BOB: (), DAN: (video(ANN),)}))
            await asyncio.sleep(0.3)  # frames already on the wire may still land
            seen_bob, seen_dan = len(bob.video[0]), len(dan.video[0])
            await asyncio.sleep(0.7)
            assert len(bob.video[0]) == seen_bob
            assert len(dan.video[0]) > seen_dan
        finally:
            await room.close()

    run(scenario)


def test_more_video_sources_than_slots_forwards_the_first_ones(
    vp8_clip: list[EncodedFrame],
) -> None:
    """With three camera feeds and two video slots, the first two in graph order arrive."""

    async def scenario() -> None:
        room = Room(Sfu())
        try:
            publishers = {email: await room.publish(email, vp8_clip) for email in (ANN, CAT, DAN)}
            bob = await room.subscribe(BOB, video=2, audio=0)
            room.sfu.apply(room.graph({BOB: (video(CAT), video(ANN), video(DAN))}))
            await wait_until(lambda: len(bob.video[0]) > 5 and len(bob.video[1]) > 5)
            await asyncio.sleep(0.5)
            stats = room.sfu.stats()
            assert stats.sources[f"{room.room_id}/1/{DAN}/video"].frames_unrouted > 0
            assert stats.slots[f"{room.room_id}/1/{BOB}/video0"].frames_forwarded > 5
            # Slot 0 carries cat's feed: the first frame is the one cat's clip sent then.
            cat_sent = publishers[CAT].video
            assert cat_sent is not None
            assert bob.video[0][0].data in set(cat_sent.sent)
            assert bob.video[0][0].keyframe
        finally:
            await room.close()

    run(scenario)


def test_ended_session_tears_everything_down(vp8_clip: list[EncodedFrame]) -> None:
    """graph.ended closes every connection, stops the frames and refuses new offers."""

    async def scenario() -> None:
        room = Room(Sfu())
        changed: list[tuple[uuid.UUID, int]] = []
        room.sfu.on_peers_changed.append(
            lambda room_id, session: changed.append((room_id, session))
        )
        try:
            await room.publish(ANN, vp8_clip)
            bob = await room.subscribe(BOB, audio=0)
            room.sfu.apply(room.graph({BOB: (video(ANN),)}))
            await wait_until(lambda: len(bob.video[0]) > 5)
            assert {p.purpose for p in room.sfu.peers(room.room_id, room.session)} == {
                Purpose.PUBLISH,
                Purpose.RECEIVE,
            }
            assert changed
            room.sfu.apply(room.graph({BOB: (video(ANN),)}, ended=True))
            await wait_until(lambda: bob.pc.connectionState in ("closed", "failed"), timeout=40)
            assert room.sfu.peers(room.room_id, room.session) == []
            assert room.sfu.publishing(room.room_id, room.session) == frozenset()
            late = CountingSubscriber(1, 0)
            room.clients.append(late)
            with pytest.raises(SessionEndedError):
                await late.connect(room.negotiator(room.peer(DAN, Purpose.RECEIVE)))
        finally:
            await room.close()

    run(scenario)


@pytest.fixture(scope="module")
def other_clip() -> list[EncodedFrame]:
    """A second camera: other noise, so its frames are told apart from the first's."""
    return encode_vp8(frames=60, keyframe_every=30, seed=2)


def test_a_switched_slot_starts_from_the_new_sources_keyframe_on_a_rising_clock(
    vp8_clip: list[EncodedFrame], other_clip: list[EncodedFrame]
) -> None:
    """A slot moved from one camera to another shows the new one from a keyframe, and the
    RTP timestamps the subscriber sees never step back (one stream, no renegotiation)."""

    async def scenario() -> None:
        room = Room(Sfu())
        try:
            await room.publish(ANN, vp8_clip)
            await room.publish(CAT, other_clip)
            bob = await room.subscribe(BOB, audio=0)
            room.sfu.apply(room.graph({BOB: (video(ANN),)}))
            await wait_until(lambda: len(bob.video[0]) > 10)
            room.sfu.apply(room.graph({BOB: (video(CAT),)}))
            cats = {frame.data for frame in other_clip}
            await wait_until(lambda: sum(f.data in cats for f in bob.video[0]) > 10)
            frames = list(bob.video[0])
            pts = [f.pts for f in frames]
            assert all(b > a for a, b in itertools.pairwise(pts))
            from_cat = [f.data in cats for f in frames]
            switch = from_cat.index(True)
            assert all(from_cat[switch:])  # nothing of ann's after the switch
            assert not any(from_cat[:switch])
            assert frames[switch].keyframe
            assert room.sfu.stats().slots[f"{room.room_id}/1/{BOB}/video0"].switches == 2
        finally:
            await room.close()

    run(scenario)
