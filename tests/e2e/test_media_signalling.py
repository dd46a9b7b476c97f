"""Audio and video signalling over the room's socket, and the graph the log steers (0024).

The SFU here is ``FakeSfu``: it keeps the peers and the graphs it is given, so these tests pin
who may connect, what the reconciler computes from the log and when; the real SFU with aiortc
peers is ``test_media_forwarding``.
"""

from __future__ import annotations

from uuid import UUID

from fastapi.testclient import TestClient

from commands.live.media import Purpose
from media.graph import Source
from media.plane import EmbeddedMediaPlane
from podium.bootstrap import Podium
from tests.e2e.helpers import expect, trial_owner
from tests.e2e.live_socket import connect, receive
from tests.e2e.media import OFFER, ask, fake_plane, offer, plane
from tests.e2e.test_live_audio import audio, running
from tests.e2e.test_session_lifecycle import act, enter
from tests.media.fake_sfu import FakeSfu

__all__ = ["plane"]  # the fixture
BOUND = 10.0  # seconds: generous on a loaded machine; the figure is measured in bench/
FIRST, SECOND, ANN = "first@example.com", "second@example.com", "ann@example.com"


def test_a_presenter_publishes_and_an_attendee_receives_them(
    client: TestClient, plane: tuple[EmbeddedMediaPlane, FakeSfu]
) -> None:
    """Both offers are answered with SDP; the attendee's graph forwards the presenter's
    audio, and nobody receives themselves."""
    _, sfu = plane
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    ann = enter(client, room, ANN)
    room_id = UUID(room["room_id"])
    with connect(client, room, first) as speaker, connect(client, room, ann) as listener:
        receive(speaker), receive(listener)
        published = offer(speaker, "publish")
        received = offer(listener, "receive")
        mine = offer(speaker, "receive")
        candidate = ask(listener, "media.candidate", purpose="receive", candidate=None)
    assert (published["status"], published["body"]["type"]) == (200, "answer")
    assert published["body"]["sdp"].startswith("v=0")
    assert (received["status"], mine["status"], candidate["status"]) == (200, 200, 200)
    graph = sfu.wait_for(
        room_id,
        1,
        lambda g: FIRST in g.receives and Source(FIRST, "audio") in g.receives.get(ANN, ()),
        BOUND,
    )
    assert graph.receives[FIRST] == ()
    assert sfu.candidates[(room_id, 1, ANN, Purpose.RECEIVE)] == [None]


def test_an_attendee_may_not_publish_until_given_the_voice(
    client: TestClient, plane: tuple[EmbeddedMediaPlane, FakeSfu]
) -> None:
    """In listen-only mode an attendee's publish offer is a 403 error frame; given the voice
    in Q&A, it is answered."""
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    ann = enter(client, room, ANN)
    with connect(client, room, ann) as listener:
        receive(listener)
        refused = offer(listener, "publish")
        expect(audio(client, room, first, "mode", mode="qa"), 200)
        expect(audio(client, room, first, "voice", email=ANN), 200)
        allowed = offer(listener, "publish")
    assert (refused["type"], refused["status"]) == ("error", 403)
    assert "publish" in refused["detail"]
    assert (allowed["type"], allowed["status"]) == ("answer", 200)


def test_a_bad_offer_is_a_400_and_an_unknown_purpose_a_422(
    client: TestClient, plane: tuple[EmbeddedMediaPlane, FakeSfu]
) -> None:
    """SDP the SFU cannot read is a 400 saying so; a purpose that is none is a 422; the socket
    stays open for the next frame."""
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    with connect(client, room, first) as speaker:
        receive(speaker)
        bad = offer(speaker, "publish", sdp="hello")
        wrong = ask(speaker, "media.offer", purpose="broadcast", sdp=OFFER)
        stray = ask(speaker, "media.candidate", purpose="publish", candidate={"candidate": "x"})
        fine = offer(speaker, "publish")
    assert (bad["status"], wrong["status"], stray["status"]) == (400, 422, 400)
    assert "SDP" in bad["detail"]
    assert fine["status"] == 200


def test_a_mode_change_by_another_presenter_mutes_the_first_at_the_attendee(
    client: TestClient, plane: tuple[EmbeddedMediaPlane, FakeSfu]
) -> None:
    """The second presenter switches to Q&A: the first presenter's audio leaves the
    attendee's graph, the second's stays; presenters-only then cuts the attendee off."""
    _, sfu = plane
    owner = trial_owner(client, "owner@example.com")
    room, first, second = running(client, owner)
    ann = enter(client, room, ANN)
    room_id = UUID(room["room_id"])
    with (
        connect(client, room, first) as one,
        connect(client, room, second) as two,
        connect(client, room, ann) as listener,
    ):
        for socket in (one, two, listener):
            receive(socket)
        offer(one, "publish"), offer(two, "publish"), offer(listener, "receive")
        offer(one, "receive")
        both = {Source(FIRST, "audio"), Source(SECOND, "audio")}
        sfu.wait_for(room_id, 1, lambda g: set(g.receives.get(ANN, ())) == both, BOUND)
        expect(audio(client, room, second, "mode", mode="qa"), 200)
        graph = sfu.wait_for(
            room_id, 1, lambda g: Source(FIRST, "audio") not in g.receives.get(ANN, ()), BOUND
        )
        assert graph.receives[ANN] == (Source(SECOND, "audio"),)
        expect(audio(client, room, second, "mode", mode="presenters_only"), 200)
        graph = sfu.wait_for(room_id, 1, lambda g: ANN not in g.receives, BOUND)
    assert graph.recorded == ()
    assert graph.receives == {FIRST: (Source(SECOND, "audio"),)}  # presenters hear each other


def test_ending_the_session_tears_down_its_peers_and_later_offers_are_refused(
    client: TestClient, plane: tuple[EmbeddedMediaPlane, FakeSfu]
) -> None:
    """The session ends: the graph says ended, the SFU drops its peers, and an offer after
    that is refused (409)."""
    _, sfu = plane
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    ann = enter(client, room, ANN)
    room_id = UUID(room["room_id"])
    with connect(client, room, ann) as listener:
        receive(listener)
        offer(listener, "receive")
        sfu.wait_for(room_id, 1, lambda g: ANN in g.receives, BOUND)
        expect(act(client, room, first, "end"), 200)
        sfu.wait_for(room_id, 1, lambda g: g.ended, BOUND)
        assert sfu.peers(room_id, 1) == []
        late = offer(listener, "receive")
    assert late["type"] == "error"
    assert late["status"] in (403, 409)


def test_a_restarted_plane_rebuilds_the_graph_from_the_log(
    client: TestClient, podium: Podium
) -> None:
    """What the first plane knew is gone with it; the second, given the same peers again,
    computes the same graph from the log (presenters only: the attendee receives nothing)."""
    owner = trial_owner(client, "owner@example.com")
    room, first, second = running(client, owner)
    ann = enter(client, room, ANN)
    room_id = UUID(room["room_id"])
    with connect(client, room, first) as one, connect(client, room, ann) as listener:
        receive(one), receive(listener)
        with fake_plane(podium) as (_, sfu):
            offer(one, "publish"), offer(listener, "receive")
            sfu.wait_for(room_id, 1, lambda g: ANN in g.receives, BOUND)
            expect(audio(client, room, second, "mode", mode="presenters_only"), 200)
            sfu.wait_for(room_id, 1, lambda g: ANN not in g.receives, BOUND)
        with fake_plane(podium) as (_, again):
            assert again.graphs == {}
            offer(one, "publish"), offer(one, "receive"), offer(listener, "receive")
            graph = again.wait_for(room_id, 1, lambda g: FIRST in g.receives, BOUND)
    assert ANN not in graph.receives


def test_with_the_media_plane_off_an_offer_is_a_503(client: TestClient) -> None:
    """No plane attached (PODIUM_MEDIA=off): the offer says audio and video are off."""
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    with connect(client, room, first) as speaker:
        receive(speaker)
        off = offer(speaker, "publish")
    assert (off["type"], off["status"]) == ("error", 503)
    assert "off" in off["detail"]
