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
from commands.unit_of_work import UnitOfWork
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


def take(podium: Podium, room_id: UUID, actor: Actor) -> tuple[int, dict[str, Any]]:
    """The room's state for ``actor`` and the position it shows (every event up to it)."""
    with podium.projector.held_still() as position:
        state: dict[str, Any] = {
            "room_id": str(room_id),
            "session": session_state(podium, room_id, actor.session),
            "you": {"nickname": actor.nickname, "role": str(actor.role), "email": actor.email},
            "presence": presence(podium, room_id, actor.session, actor.presents),
        }
        for hook in SNAPSHOTS:
            state.update(hook(podium, room_id, actor.session, actor))
    return position, state
