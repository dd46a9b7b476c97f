"""A past moment of a room, recomputed from the log (issue 10 §6, decision 0029).

``state_at`` answers the room's whole state at a position of one session: the room's read
models are rebuilt from the log cut there into a scratch store (``projections.replay``), the
session's audio aggregate is folded from its own events up to there, and both go through
``api.gateway.snapshot.room_state``, the very function a live socket's snapshot is made by.
So the replay cannot drift from what live clients were shown: there is no second reducer.

A moment is named by a position (an integer: a notification id of the log) or an instant (ISO
8601): an instant stands for the last event of the session at or before it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from api.gateway.snapshot import room_state
from commands.live.actors import Actor
from commands.store import replay
from domain.access import Role
from domain.errors import InvalidRequestError, NotFoundError
from domain.live.audio import Audio
from podium.bootstrap import Podium, Views
from podium.clock import ManualClock
from projections.replay import Replayed, RoomReplay
from projections.room_feed.kinds import iso
from projections.scratch import ScratchReadStore

# The read models a room's state is read from (``room_state`` and the snapshot hooks); only
# these are rebuilt for a moment, the rest of Podium's read models have nothing to say of it.
STATE_MODELS = frozenset(
    {
        "rooms",
        "live_sessions",
        "recordings",
        "live_chat",
        "live_hands",
        "live_cta",
        "polls",
        "whiteboard",
        "stage",
        "cameras",
        "live_questions",
    }
)
REPLAY_KEY = "room_replay"
ORGANISER = "organiser"


@dataclass(frozen=True)
class Session:
    """One session of a room as the feed and the live sessions read model know it."""

    room_id: UUID
    number: int
    first: int  # position of its first event
    last: int  # position of its last event so far
    started_at: str
    ended_at: str | None


def replayer(podium: Podium) -> RoomReplay:
    """This process's replayer (made on first use: it keeps the migrated empty scratch store)."""
    found = podium.extras.get(REPLAY_KEY)
    if not isinstance(found, RoomReplay):
        projections = [p for p in podium.projector.projections if p.name in STATE_MODELS]
        found = RoomReplay(
            podium.store.recorder,
            podium.store.mapper.to_domain_event,
            podium.views.room_feed,
            lambda: [type(p)() for p in projections],
        )
        podium.extras[REPLAY_KEY] = found
    return found


def session_of(podium: Podium, room_id: UUID, number: int) -> Session:
    """Session ``number`` of the room (NotFoundError if it never started)."""
    rows = [r for r in podium.views.live_sessions.sessions(str(room_id)) if r["number"] == number]
    span = podium.views.room_feed.span(str(room_id), number)
    if not rows or span is None:
        raise NotFoundError(f"session {number} of this room not found")
    row = rows[0]
    return Session(
        room_id, number, int(span["first"]), int(span["last"]), row["started_at"], row["ended_at"]
    )


MOMENT_CHARS = 64  # the length GET .../state?at= allows its query parameter


def position_of(podium: Podium, session: Session, moment: str) -> int:
    """The position a moment names: an integer position inside the session, or an instant
    between its start and its end (now, while it runs). InvalidRequestError otherwise."""
    text = moment.strip()
    if len(text) > MOMENT_CHARS:  # int() of thousands of digits raises, and no moment is long
        raise InvalidRequestError(f"a moment is at most {MOMENT_CHARS} characters")
    if text.lstrip("-").isdigit():
        position = int(text)
        last = (
            session.last if session.ended_at else (podium.store.recorder.max_notification_id() or 0)
        )
        if not session.first <= position <= last:
            raise InvalidRequestError(
                f"position {position} is outside session {session.number} "
                f"(positions {session.first} to {last})"
            )
        return position
    instant = parse_instant(text)
    end = session.ended_at or iso(podium.clock.now())
    if not session.started_at <= iso(instant) <= end:
        raise InvalidRequestError(
            f"{text} is outside session {session.number} (from {session.started_at} to {end})"
        )
    found = podium.views.room_feed.position_at(str(session.room_id), session.number, iso(instant))
    return found if found is not None else session.first


def parse_instant(text: str) -> datetime:
    """An ISO 8601 instant; one without an offset is UTC."""
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidRequestError(
            f"'{text[:40]}' is neither a position (an integer) nor an ISO 8601 instant"
        ) from None
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def organiser(room_id: UUID, session: int) -> Actor:
    """Who a replay is read as: the room's organiser, who sees everything a host sees."""
    return Actor(room_id, session, "", ORGANISER, Role.HOST)


def views_over(views: Views, store: ScratchReadStore) -> Views:
    """The same views, reading ``store`` (every view is made from its read store alone)."""
    fields = {f.name: type(getattr(views, f.name))(store) for f in dataclasses.fields(views)}
    return Views(**fields)


def state_at(podium: Podium, session: Session, position: int) -> dict[str, Any]:
    """The room's whole state at ``position`` of ``session``, as its organiser sees it."""
    # A running session's position may be ahead of the feed the replay reads its events from.
    podium.projector.catch_up(until=position)
    replayed = replayer(podium).at(str(session.room_id), position)
    try:
        return state_of(podium, session, replayed)
    finally:
        replayed.store.close()


def state_of(podium: Podium, session: Session, replayed: Replayed) -> dict[str, Any]:
    at = podium.views.room_feed.time_at(str(session.room_id), session.number, replayed.position)
    moment = datetime.fromisoformat(at) if at else podium.clock.now()
    then = dataclasses.replace(
        podium, views=views_over(podium.views, replayed.store), clock=ManualClock(moment)
    )
    audio_id = Audio.id_for(session.room_id, session.number)
    audio = replay(None, (e for _, e in replayed.events if e.originator_id == audio_id))
    actor = organiser(session.room_id, session.number)
    state = room_state(then, session.room_id, actor, audio if isinstance(audio, Audio) else None)
    del state["you"]
    return {"position": replayed.position, "at": at, "state": state}
