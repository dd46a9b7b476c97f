"""A room's live sessions: start one, end it for all, list them; and leave one (decision 0012).

Starting and ending need the account's API key (the host's; presenters' own credentials come
with the room gateway). Leaving needs no key: the credential the join answered with proves who
leaves which session.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.contract import problems
from api.deps import CurrentPrincipal, PodiumDep, respond
from api.responses.live import Left, LiveSessions, SessionState
from api.room_schemas import LeaveIn
from api.routes.rooms import own_room

router = APIRouter(prefix="/rooms", tags=["live sessions"])


@router.post("/{room_id}/sessions", response_model=SessionState)
def start(room_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> JSONResponse:
    """Start the room's session: attendees waiting in the lobby are let into it. Starting a
    live session changes nothing and answers the same. A permanent room runs one session after
    another; each has all the room's seats."""
    return respond(podium, podium.live.start(who.account_id, room_id, f"login:{who.login_id}"))


@router.post("/{room_id}/sessions/current/end", response_model=SessionState)
def end_for_all(room_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> JSONResponse:
    """End the live session for everyone: its seats are all free again, and whoever joins now
    waits in the next session's lobby. With no live session, nothing changes."""
    return respond(podium, podium.live.end(who.account_id, room_id))


@router.get("/{room_id}/sessions", response_model=LiveSessions)
def sessions(room_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    """Every session the room has run or is running, oldest first."""
    own_room(podium, who, room_id)
    return {"sessions": podium.views.live_sessions.sessions(str(room_id))}


@router.post("/{room_id}/leave", response_model=Left, responses=problems(403))
def leave(room_id: UUID, body: LeaveIn, podium: PodiumDep) -> JSONResponse:
    """Leave the session you joined, with the `credential` the join answered: your seat is
    given back for the next person. Leaving twice changes nothing."""
    return respond(podium, podium.live.leave(room_id, body.credential))
