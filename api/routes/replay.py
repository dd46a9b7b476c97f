"""A past moment of a room: ``GET /rooms/{room_id}/sessions/{n}/state?at=`` (decision 0029).

Sessions are numbered in the room, as the session reports' routes number them; the room's
organiser (the owner's API key) reads them. The playback socket beside it lives in
``api.gateway.playback``.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Query

from api.contract import problems
from api.deps import CurrentPrincipal, PodiumDep
from api.responses.base import Answer
from api.routes.rooms import own_room
from api.schemas import INT_MAX

router = APIRouter(prefix="/rooms", tags=["room replay"])
SessionNumber = Annotated[int, Path(ge=1, le=INT_MAX, description="the session's number")]
Moment = Annotated[
    str,
    Query(
        min_length=1,
        max_length=64,
        description="a position of the log (an integer) or an ISO 8601 instant in the session",
    ),
]


class RoomMoment(Answer):
    room_id: str
    session: int
    position: int
    at: str | None
    state: dict[str, Any]


@router.get(
    "/{room_id}/sessions/{n}/state", response_model=RoomMoment, responses=problems(404, 422)
)
def state(
    room_id: UUID, n: SessionNumber, at: Moment, who: CurrentPrincipal, podium: PodiumDep
) -> dict[str, Any]:
    """The room's whole state at a moment of session ``n``, recomputed from the log: presence,
    audio mode and who had the voice, hands, the CTA shown, the open poll with its results so
    far, whiteboard, stage (presentation page or video), chat so far, questions, recording on
    or off. The same state a live socket's snapshot showed at that position."""
    # Imported here: the replay reads the room through the socket snapshot's function, which
    # collects the live routers' hooks, and this module is loaded while they are collected.
    from api.gateway.replay import position_of, session_of, state_at

    own_room(podium, who, room_id)
    session = session_of(podium, room_id, n)
    position = position_of(podium, session, at)
    return {"room_id": str(room_id), "session": n, **state_at(podium, session, position)}
