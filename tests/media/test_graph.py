"""The forwarding graph follows the room's rules as the domain states them (decision 0024)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from commands.live.media import Peer, Purpose
from domain.errors import RuleViolationError
from domain.live.audio import Audio, Mode
from domain.live.cameras import MOST_FEEDS, CameraFeeds
from domain.live.recording import Recorder
from domain.live_session import ENDED_FOR_ALL, LiveSession
from domain.plans import BASE_CAMERA_FEEDS
from media.graph import ForwardingGraph, Source, compute

AT = datetime(2026, 12, 2, tzinfo=UTC)
ROOM = UUID(int=7)
PRESENTERS = ["host@example.com", "pat@example.com", "pia@example.com"]
ATTENDEES = ["ann@example.com", "bob@example.com", "cy@example.com", "di@example.com"]
PEOPLE = PRESENTERS + ATTENDEES


def presents(email: str) -> bool:
    return email in PRESENTERS


def peers_of(
    emails: list[str], purpose: Purpose, room: UUID = ROOM, session: int = 1
) -> list[Peer]:
    return [Peer(room, session, e, e.split("@")[0], presents(e), purpose) for e in emails]


def everyone_connected() -> list[Peer]:
    return peers_of(PEOPLE, Purpose.RECEIVE) + peers_of(PEOPLE, Purpose.PUBLISH)


def started() -> LiveSession:
    return LiveSession(ROOM, 1, PRESENTERS[0], AT)


# One step a presenter or participant may take in the room; refused steps change nothing.
steps = st.one_of(
    st.tuples(st.just("mode"), st.sampled_from(list(Mode)), st.sampled_from(PRESENTERS)),
    st.tuples(st.just("mute"), st.sampled_from(PEOPLE), st.booleans()),
    st.tuples(st.just("voice"), st.sampled_from(ATTENDEES), st.booleans()),
    st.tuples(st.just("camera"), st.sampled_from(PEOPLE), st.booleans()),
    st.tuples(st.just("record"), st.booleans(), st.just(None)),
)


def play(
    actions: list[tuple[str, object, object]], limit: int
) -> tuple[Audio, CameraFeeds, Recorder]:
    audio, feeds = Audio(ROOM, 1), CameraFeeds(ROOM, 1)
    recorder = Recorder(ROOM, 1, uuid4(), AT)
    for kind, first, second in actions:
        try:
            if kind == "mode":
                audio.set_mode(Mode(str(first)), str(second), "n", AT)
            elif kind == "mute":
                email = str(first)
                audio.set_muted(email, "n", bool(second), presents(email), False, AT)
            elif kind == "voice":
                if second:
                    audio.give_voice(str(first), "n", AT)
                else:
                    audio.take_voice(str(first), "n", AT)
            elif kind == "camera":
                email = str(first)
                if not second:
                    feeds.turn_off(email, "n", "avatar", AT)
                elif feeds.may_use_camera(email, presents(email)):
                    feeds.turn_on(email, "n", limit, AT)
            elif first:
                recorder.start("en", PRESENTERS[0], False, AT)
            else:
                recorder.stop(PRESENTERS[0], "stopped", AT)
        except RuleViolationError:
            pass  # the domain refused it (a limit, a rule): the room is as it was
    return audio, feeds, recorder


def graph_after(
    actions: list[tuple[str, object, object]], limit: int = BASE_CAMERA_FEEDS
) -> tuple[ForwardingGraph, Audio, CameraFeeds, Recorder]:
    audio, feeds, recorder = play(actions, limit)
    graph = compute(
        ROOM, 1, everyone_connected(), live=started(), audio=audio, cameras=feeds, recorder=recorder
    )
    return graph, audio, feeds, recorder


@settings(max_examples=300, deadline=None)
@given(st.lists(steps, max_size=25), st.integers(BASE_CAMERA_FEEDS, MOST_FEEDS))
def test_the_graph_obeys_the_rooms_rules(
    actions: list[tuple[str, object, object]], limit: int
) -> None:
    """Nobody receives themselves; a muted or voiceless person is heard by nobody and not
    recorded; video only from cameras on, within the plan's feeds; presenters-only cuts the
    participants off and records nothing."""
    graph, audio, feeds, recorder = graph_after(actions, limit)
    sources = {s for received in graph.receives.values() for s in received} | set(graph.recorded)
    for email, received in graph.receives.items():
        assert all(source.email != email for source in received)
        assert len(received) == len(set(received))
    for source in sources:
        if source.kind == "audio":
            assert audio.may_speak(source.email, presents(source.email))
            assert not audio.muted(source.email, presents(source.email))
        else:
            assert source.email in feeds.in_use
    assert len({s for s in sources if s.kind == "video"}) <= limit
    if audio.mode == Mode.PRESENTERS_ONLY:
        assert all(presents(email) for email in graph.receives)
        assert graph.recorded == ()
        assert graph.take is None
    else:
        assert set(graph.receives) == set(PEOPLE)
    if recorder.running is None:
        assert graph.recorded == ()
    elif audio.mode != Mode.PRESENTERS_ONLY:
        assert graph.take == recorder.running.number
        forwarded = {s for email in graph.receives for s in graph.receives[email]}
        assert set(graph.recorded) >= forwarded
    assert not graph.ended


@settings(max_examples=100, deadline=None)
@given(st.lists(steps, max_size=25))
def test_a_source_is_forwarded_to_everyone_who_hears_but_its_owner(
    actions: list[tuple[str, object, object]],
) -> None:
    """What one listener gets, every listener gets (but their own): one room, one graph."""
    graph, _, _, _ = graph_after(actions)
    forwarded = {s for received in graph.receives.values() for s in received}
    for email, received in graph.receives.items():
        assert set(received) == {s for s in forwarded if s.email != email}


def test_a_mode_change_mutes_every_presenter_but_the_one_who_changed_it() -> None:
    """After pia switches to Q&A only her voice reaches the attendees, until the others
    unmute themselves."""
    graph, _, _, _ = graph_after([("mode", Mode.QA, "pia@example.com")])
    voices = [s for s in graph.receives["ann@example.com"] if s.kind == "audio"]
    assert voices == [Source("pia@example.com", "audio")]
    graph, _, _, _ = graph_after(
        [("mode", Mode.QA, "pia@example.com"), ("mute", "pat@example.com", False)]
    )
    voices = [s for s in graph.receives["ann@example.com"] if s.kind == "audio"]
    assert voices == [Source("pat@example.com", "audio"), Source("pia@example.com", "audio")]


def test_the_participant_given_the_voice_is_heard_and_only_them() -> None:
    """In Q&A the participant given the voice is heard; the others publishing are not."""
    graph, _, _, _ = graph_after(
        [("mode", Mode.QA, "host@example.com"), ("voice", "bob@example.com", True)]
    )
    voices = {s.email for s in graph.receives["pat@example.com"] if s.kind == "audio"}
    assert voices == {"host@example.com", "bob@example.com"}
    graph, _, _, _ = graph_after([("mode", Mode.DISCUSSION, "host@example.com")])
    voices = {s.email for s in graph.receives["pat@example.com"] if s.kind == "audio"}
    assert voices == {"host@example.com", *ATTENDEES}


def test_video_follows_the_camera_feeds_in_the_order_they_were_taken() -> None:
    """A camera on is forwarded in feed order; turned off (an avatar), it is not."""
    graph, _, _, _ = graph_after(
        [
            ("camera", "pia@example.com", True),
            ("camera", "host@example.com", True),
            ("camera", "ann@example.com", True),  # never asked on camera: refused
        ]
    )
    videos = [s.email for s in graph.receives["bob@example.com"] if s.kind == "video"]
    assert videos == ["pia@example.com", "host@example.com"]
    graph, _, _, _ = graph_after(
        [("camera", "pia@example.com", True), ("camera", "pia@example.com", False)]
    )
    assert not [s for s in graph.receives["bob@example.com"] if s.kind == "video"]


def test_recording_takes_every_forwarded_source_while_a_take_runs() -> None:
    """REC on: the forwarded sources are recorded under the take's number; off: nothing."""
    graph, _, _, _ = graph_after([("camera", "host@example.com", True), ("record", True, None)])
    assert graph.take == 1
    assert set(graph.recorded) == {
        Source("host@example.com", "video"),
        Source("host@example.com", "audio"),
        Source("pat@example.com", "audio"),
        Source("pia@example.com", "audio"),
    }
    graph, _, _, _ = graph_after([("record", True, None), ("record", False, None)])
    assert graph.recorded == ()
    assert graph.take is None


def test_an_ended_session_tears_down_and_one_not_started_forwards_nothing() -> None:
    """Ended: the graph says so and forwards nothing; not started: nothing either."""
    live = started()
    live.end(ENDED_FOR_ALL, AT)
    graph = compute(ROOM, 1, everyone_connected(), live=live)
    assert graph.ended
    assert graph.receives == {}
    assert graph.recorded == ()
    graph = compute(ROOM, 1, everyone_connected(), live=None)
    assert not graph.ended
    assert graph.receives == {}


def test_only_the_sessions_own_peers_count() -> None:
    """A peer of another session or room neither receives nor is received."""
    others = peers_of(["zed@example.com"], Purpose.PUBLISH, session=2) + peers_of(
        ["zoe@example.com"], Purpose.RECEIVE, room=uuid4()
    )
    graph = compute(
        ROOM, 1, [*peers_of(["ann@example.com"], Purpose.RECEIVE), *others], live=started()
    )
    assert graph.receives == {"ann@example.com": ()}


def test_a_publisher_without_a_publish_connection_is_no_source() -> None:
    """Only what someone actually publishes is forwarded: a presenter who only receives is
    no one's source."""
    graph = compute(ROOM, 1, peers_of(PEOPLE, Purpose.RECEIVE), live=started())
    assert all(received == () for received in graph.receives.values())
