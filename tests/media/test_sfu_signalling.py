"""What a client may offer and trickle; a new offer replaces the old connection."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from aiortc import RTCPeerConnection

from commands.live.media import Peer, Purpose
from media.sfu import CandidateError, OfferError, Sfu, SupersededError, UnknownPeerError
from media.sfu.signalling import MAX_VIDEO_SLOTS, read_candidate
from media.synthetic import EncodedFrame, wait_until
from tests.media.conftest import Room, run, video

ANN, BOB = "ann@example.com", "bob@example.com"
CANDIDATE = "candidate:842163049 1 udp 1677729535 192.0.2.7 54400 typ srflx raddr 0.0.0.0 rport 0"


async def offer_of(*transceivers: tuple[str, str]) -> str:
    pc = RTCPeerConnection()
    try:
        for kind, direction in transceivers:
            pc.addTransceiver(kind, direction=direction)
        await pc.setLocalDescription(await pc.createOffer())
        return pc.localDescription.sdp
    finally:
        await pc.close()


def peer(purpose: Purpose) -> Peer:
    return Peer(uuid.uuid4(), 1, BOB, "bob", False, purpose)


@pytest.mark.parametrize(
    ("purpose", "transceivers", "complaint"),
    [
        (Purpose.RECEIVE, [("video", "sendonly")], "recvonly"),
        (Purpose.PUBLISH, [("video", "recvonly")], "sendonly"),
        (Purpose.PUBLISH, [("video", "sendonly"), ("video", "sendonly")], "at most one"),
        (Purpose.RECEIVE, [("video", "recvonly")] * (MAX_VIDEO_SLOTS + 1), "at most"),
    ],
)
def test_offers_outside_the_purpose_are_refused(
    purpose: Purpose, transceivers: list[tuple[str, str]], complaint: str
) -> None:
    """Directions and slot counts are checked before any connection is made."""

    async def scenario() -> None:
        sfu = Sfu()
        try:
            with pytest.raises(OfferError, match=complaint):
                await sfu.negotiate(peer(purpose), await offer_of(*transceivers))
        finally:
            await sfu.close()

    run(scenario)


@pytest.mark.parametrize("sdp", ["", "hello", "v=0\r\n", "x" * 70_000])
def test_what_is_not_an_offer_is_refused(sdp: str) -> None:
    """Garbage gets an OfferError (a ValueError: the caller's 4xx), never anything else."""

    async def scenario() -> None:
        sfu = Sfu()
        try:
            with pytest.raises(OfferError):
                await sfu.negotiate(peer(Purpose.RECEIVE), sdp)
        finally:
            await sfu.close()

    run(scenario)


def test_candidates_are_read_as_the_browser_sends_them() -> None:
    """toJSON()'s shape is read; None and "" end the candidates; bad ones are refused."""
    parsed = read_candidate({"candidate": CANDIDATE, "sdpMid": "0", "sdpMLineIndex": 0})
    assert parsed is not None
    assert (parsed.ip, parsed.port, parsed.type, parsed.sdpMid) == (
        "192.0.2.7",
        54400,
        "srflx",
        "0",
    )
    assert read_candidate(None) is None
    assert read_candidate({"candidate": "", "sdpMid": "0"}) is None
    for bad in (
        {"candidate": "candidate:1 1 udp"},
        {"candidate": CANDIDATE},
        {"candidate": 7, "sdpMid": "0"},
        {"candidate": CANDIDATE, "sdpMLineIndex": "0"},
        {"candidate": "candidate:x y udp 1 192.0.2.7 1 typ host", "sdpMid": "0"},
    ):
        with pytest.raises(CandidateError):
            read_candidate(bad)


def test_a_candidate_for_no_connection_is_refused() -> None:
    """Trickling to a peer that has not offered is a LookupError, not a crash."""

    async def scenario() -> None:
        sfu = Sfu()
        try:
            with pytest.raises(UnknownPeerError):
                await sfu.add_candidate(
                    peer(Purpose.RECEIVE), {"candidate": CANDIDATE, "sdpMid": "0"}
                )
        finally:
            await sfu.close()

    run(scenario)


def test_a_new_offer_replaces_the_connection(vp8_clip: list[EncodedFrame]) -> None:
    """A second receive offer from the same person closes the first; frames go to the new one.
    Trickled candidates and the end of candidates are taken on the live connection."""

    async def scenario() -> None:
        room = Room(Sfu())
        try:
            await room.publish(ANN, vp8_clip)
            first = await room.subscribe(BOB, audio=0)
            room.sfu.apply(room.graph({BOB: (video(ANN),)}))
            await wait_until(lambda: len(first.video[0]) > 3)
            receive = room.peer(BOB, Purpose.RECEIVE)
            await room.sfu.add_candidate(receive, {"candidate": CANDIDATE, "sdpMid": "0"})
            await room.sfu.add_candidate(receive, None)
            with pytest.raises(OfferError):  # a bad offer leaves the working connection be
                await room.sfu.negotiate(receive, "v=0\r\n")
            before = len(first.video[0])
            await wait_until(lambda: len(first.video[0]) > before + 3)
            second = await room.subscribe(BOB, audio=0)
            await wait_until(lambda: len(second.video[0]) > 3)
            assert second.video[0][0].keyframe
            await asyncio.sleep(0.3)
            seen = len(first.video[0])
            await asyncio.sleep(0.5)
            assert len(first.video[0]) == seen
            receiving = [p for p in room.sfu.peers(room.room_id, 1) if p.purpose is Purpose.RECEIVE]
            assert len(receiving) == 1
            await room.sfu.hang_up(receive)
            assert [p.purpose for p in room.sfu.peers(room.room_id, 1)] == [Purpose.PUBLISH]
        finally:
            await room.close()

    run(scenario)


def test_racing_offers_of_one_connection_leave_one_and_refuse_the_rest() -> None:
    """Two tabs of one person (or a page re-offering) send offers at once: each offer closes
    the one before it mid-answer. The last stands; every other is refused as superseded (the
    API's 409), never an aiortc error (a 500); no closed connection is left behind."""

    async def scenario() -> None:
        sfu = Sfu()
        receive = peer(Purpose.RECEIVE)
        offers = [await offer_of(("video", "recvonly"), ("audio", "recvonly")) for _ in range(8)]
        try:
            results = await asyncio.gather(
                *(sfu.negotiate(receive, sdp) for sdp in offers), return_exceptions=True
            )
            answers = [r for r in results if isinstance(r, str)]
            others = [r for r in results if not isinstance(r, str)]
            assert len(answers) >= 1
            assert all(isinstance(r, SupersededError) for r in others), others
            assert isinstance(results[-1], str)  # the newest offer is the one answered
            state = sfu._sessions[(receive.room_id, receive.session)]
            assert len(state.connections) == 1
            assert all(not c.closed for c in state.connections.values())
        finally:
            await sfu.close()

    run(scenario)
