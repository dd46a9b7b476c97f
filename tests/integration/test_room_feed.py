"""The room feed projection: room events by room in log order, kinds and payloads derived from
the event classes, streams routed by their created event, with no list of kinds to keep."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import orjson
from eventsourcing.domain import Aggregate, event

from domain.admission import Admission
from domain.ids import derived_id
from domain.live_session import LiveSession
from podium.bootstrap import Podium
from projections.projector import Projector
from projections.room_feed.kinds import room_aggregates, room_topics
from projections.room_feed.projection import RoomFeedProjection

AT = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


class PrivateNote(Aggregate):
    """A test-only room aggregate: a note, to everyone or to the presenters only."""

    class Written(Aggregate.Created):
        room_id: UUID
        session: int
        text: str
        audience: str

    class Crossed(Aggregate.Event):
        by: str

    @staticmethod
    def create_id(room_id: UUID, session: int, text: str, audience: str) -> UUID:
        return derived_id("note", f"{room_id}:{text}")

    @event(Written)
    def __init__(self, room_id: UUID, session: int, text: str, audience: str) -> None:
        self.text = text

    @event(Crossed)
    def cross(self, by: str) -> None:
        pass


class Sticker(Aggregate):
    """A test-only room aggregate created by the ``Created`` class eventsourcing makes itself."""

    def __init__(self, room_id: UUID, session: int, label: str) -> None:
        self.label = label


def projector_with(podium: Podium, feed: RoomFeedProjection) -> Projector:
    return Projector(
        podium.store.recorder, podium.store.mapper.to_domain_event, podium.read_store, [feed]
    )


def test_the_feed_finds_the_room_aggregates_without_a_list() -> None:
    """LiveSession and Admission are room aggregates; seats and rooms are not."""
    names = {cls.__name__ for cls in room_aggregates()}
    assert {"LiveSession", "Admission"} <= names
    assert not names & {"Seat", "Room", "RoomSessions", "Account"}


def test_an_aggregate_created_by_its_own_created_class_is_in_the_feed() -> None:
    """An aggregate that names no created event is created by ``<Aggregate>.Created``; that
    class is one of its room topics, so its stream is not invisible to the feed."""
    topics = {topic for cls in [Sticker] for topic in room_topics([cls])}
    assert f"{__name__}:Sticker.Created" in topics


def test_room_events_land_in_their_rooms_feed_in_order_with_kind_and_payload(
    podium: Podium,
) -> None:
    """A created event routes its stream; later events follow it; other rooms stay apart."""
    room, other = uuid4(), uuid4()
    session = LiveSession(room, 1, "login:x", AT)
    admission = Admission(room, 1, "ann@example.com", "Ann", "listener", 1, "public", AT)
    elsewhere = Admission(other, 1, "bob@example.com", "Bob", "listener", 1, "public", AT)
    note = PrivateNote(room, 1, "for presenters", "presenters")
    podium.store.save(session, admission, elsewhere, note)
    admission.leave(AT)
    note.cross("host")
    session.end("ended_for_all", AT)
    podium.store.save(admission, note, session)
    feed = RoomFeedProjection([LiveSession, Admission, PrivateNote])
    projector_with(podium, feed).catch_up()
    head = podium.store.recorder.max_notification_id() or 0
    rows = podium.views.room_feed.between([str(room)], 0, head)
    assert [r["kind"] for r in rows] == [
        "live_session.started",
        "admission.admitted",
        "private_note.written",
        "admission.left",
        "private_note.crossed",
        "live_session.ended",
    ]
    positions = [r["position"] for r in rows]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    assert {r["session"] for r in rows} == {1}
    audiences = {r["kind"]: r["audience"] for r in rows}
    assert audiences["private_note.written"] == audiences["private_note.crossed"] == "presenters"
    assert audiences["admission.admitted"] == "all"
    admitted = orjson.loads(rows[1]["payload"])
    assert (admitted["email"], admitted["nickname"], admitted["room_id"]) == (
        "ann@example.com",
        "Ann",
        str(room),
    )
    assert "originator_version" not in admitted
    assert rows[1]["stream_id"] == str(admission.id)
    assert [r["kind"] for r in podium.views.room_feed.between([str(other)], 0, head)] == [
        "admission.admitted"
    ]
    assert podium.views.room_feed.count_after(str(room), positions[2], head) == 3


def test_the_bootstrapped_feed_follows_real_commands(podium: Podium) -> None:
    """The feed registered in bootstrap reads LiveSession and Admission events."""
    room = uuid4()
    podium.store.save(LiveSession(room, 1, "login:x", AT))
    podium.projector.catch_up()
    head = podium.store.recorder.max_notification_id() or 0
    assert [r["kind"] for r in podium.views.room_feed.between([str(room)], 0, head)] == [
        "live_session.started"
    ]
