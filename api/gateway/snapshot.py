"""What a socket is sent first: the room's state for its holder, and the position it is at.

Presence (who is in the session, with roles) comes from the admissions read model, the
session's state from the live sessions read model, and each concern adds its part through the
``snapshot`` hook of its router module (``api.routes.live.SNAPSHOTS``). All of it is read while
the projector holds every read model at one position (``Projector.held_still``), which is the
snapshot's position: an event is either in the snapshot (at or before it) or sent after it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.routes.live import SNAPSHOTS
from commands.live.actors import Actor
from commands.live.audio import audio_answer
from commands.unit_of_work import UnitOfWork
from domain.live.audio import Audio
from podium.bootstrap import Podium


def resolve(podium: Podium, room_id: UUID, credential: str) -> Actor:
    """The participant an attendance credential names, still in their session (read only)."""
    unit = UnitOfWork(podium.store, podium.clock.now(), payment_key="")
    return podium.actors.participant(unit, room_id, credential)


def presence(podium: Podium, room_id: UUID, session: int, presents: bool) -> list[dict[str, Any]]:
    """The attendee list; emails are for hosts and presenters only (decision 0014)."""
    people = []
    for row in podium.views.rooms.present(str(room_id), session):
        person = {
            "admission": row["admission_id"],
            "nickname": row["nickname"],
            "role": row["role"],
            "since": row["admitted_at"],
        }
        if presents:
            person["email"] = row["email"]
        people.append(person)
    return people


def session_state(podium: Podium, room_id: UUID, session: int) -> dict[str, Any]:
    for row in podium.views.live_sessions.sessions(str(room_id)):
        if row["number"] == session:
            return {"number": session, "state": "live" if row["live"] else "ended", **row}
    return {"number": session, "state": "lobby", "live": False}


def audio_at(podium: Podium, room_id: UUID, session: int, position: int) -> Audio | None:
    """The session's audio aggregate as it was at ``position`` (the write side may be ahead of
    the read models a snapshot holds still): loaded at the version the feed shows there."""
    audio_id = Audio.id_for(room_id, session)
    version = podium.views.room_feed.version_at(str(room_id), str(audio_id), position)
    if version == 0:
        return None
    found: object = podium.store.repository.get(audio_id, version=version)
    return found if isinstance(found, Audio) else None


def room_state(podium: Podium, room_id: UUID, actor: Actor, audio: Audio | None) -> dict[str, Any]:
    """The room's whole state for ``actor`` from ``podium``'s read models and the session's
    ``audio``: what a socket's snapshot carries, and what the replay of a past moment answers
    (decision 0029: the same function, over read models rebuilt from the log cut there)."""
    state: dict[str, Any] = {
        "room_id": str(room_id),
        "session": session_state(podium, room_id, actor.session),
        "you": {"nickname": actor.nickname, "role": str(actor.role), "email": actor.email},
        "presence": presence(podium, room_id, actor.session, actor.presents),
        "audio": audio_answer(audio, actor).body,
    }
    for hook in SNAPSHOTS:
        state.update(hook(podium, room_id, actor.session, actor))
    return state


def take(podium: Podium, room_id: UUID, actor: Actor) -> tuple[int, dict[str, Any]]:
    """The room's state for ``actor`` and the position it shows (every event up to it)."""
    with podium.projector.held_still() as position:
        audio = audio_at(podium, room_id, actor.session, position)
        state = room_state(podium, room_id, actor, audio)
    return position, state
