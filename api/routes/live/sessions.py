"""A room's live sessions: start, lobby, lock, invite, end, list; and leave one (decisions 0012,
0016).

Starting, locking, inviting and ending take the host's API key or a presenter's attendance
credential (the ``Podium-Attendance`` header); a listener is refused with a 403 that says what.
``GET /rooms/{id}/me`` tells a joined person where they are (lobby, room, or out of an ended
session). Leaving needs no key: the credential the join answered with proves who leaves.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import EmailStr, Field

from api.contract import problems
from api.deps import CurrentPrincipal, PodiumDep, respond
from api.responses.base import Answer
from api.responses.live import Invited, Left, LiveSessions, Place, SessionState
from api.room_schemas import LeaveIn, LockIn
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.routes.rooms import own_room
from api.schemas import Body
from commands.live.actors import Caller
from commands.unit_of_work import Result
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["live sessions"])
ACTED = problems(401, 403, 404, 409)


class NothingIn(Body):
    """An action that needs nothing more than who and where."""


class RoomInviteIn(Body):
    """Invite from inside the room (the Attendee List's Invite)."""

    emails: list[EmailStr] = Field(min_length=1, max_length=500)
    role: Literal["listener", "presenter"] = "listener"
    lang: Literal["en", "pl"] = "en"


@router.post("/{room_id}/sessions", response_model=SessionState, responses=ACTED)
def start(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Start the room's session (the host, or a presenter already inside): attendees waiting in
    the lobby are let into it. Starting a live session changes nothing and answers the same. A
    permanent room runs one session after another; each has all the room's seats."""
    return respond(podium, podium.live.start(who, room_id))


@router.post("/{room_id}/sessions/current/end", response_model=SessionState, responses=ACTED)
def end_for_all(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """End the session for everyone (a host or presenter): room clients send everyone to the
    answer's `thank_you_page_url`, each participant is thanked by email, all seats are free
    again, and whoever joins now waits in the next session's lobby. With no live session,
    nothing changes. To leave yourself and keep the session open, use POST .../leave."""
    return respond(podium, podium.live.end(who, room_id))


@router.post("/{room_id}/sessions/current/lock", response_model=SessionState, responses=ACTED)
def lock(room_id: UUID, body: LockIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Lock the running session (no listener may enter; hosts and presenters still may, and
    whoever is in stays in) or unlock it. The lock ends with the session."""
    return respond(podium, podium.live.set_lock(who, room_id, body.locked))


@router.post("/{room_id}/sessions/current/invitations", response_model=Invited, responses=ACTED)
def invite(room_id: UUID, body: RoomInviteIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Invite people by email from inside the room (a host or presenter): each gets the room's
    invitation mail, the same as the panel's invitations send."""
    return respond(podium, podium.live.invite(who, room_id, body.emails, body.role, body.lang))


@router.get("/{room_id}/me", response_model=Place, responses=problems(401, 403, 404, 409))
def place(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Where you are, by the credential your join answered with: `lobby` (an attendee before
    the start: with the lobby's message and agenda), `room`, or `ended` (go to
    `thank_you_page_url`)."""
    return respond(podium, podium.live.place(who, room_id))


@router.get("/{room_id}/sessions", response_model=LiveSessions)
def sessions(room_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    """Every session the room has run or is running, oldest first."""
    own_room(podium, who, room_id)
    return {"sessions": podium.views.live_sessions.sessions(str(room_id))}


class RatingIn(Body):
    """The rating given at exit, with the credential POST /rooms/{room_id}/join answered."""

    credential: Annotated[str, Field(min_length=1, max_length=1000)]
    rating: Annotated[int, Field(strict=True, ge=1, le=5)]
    comment: Annotated[str, Field(max_length=1000)] | None = None


class Rated(Answer):
    room_id: str
    session: int
    rating: int
    comment: str | None


@router.post("/{room_id}/rating", response_model=Rated, responses=problems(403, 404))
def rate(room_id: UUID, body: RatingIn, podium: PodiumDep) -> JSONResponse:
    """Rate the session you joined, 1 to 5, with an optional comment (at exit, or after it
    ended); rating again replaces it. Organisers read it in the attendance report."""
    return respond(podium, podium.live.rate(room_id, body.credential, body.rating, body.comment))


@router.post("/{room_id}/leave", response_model=Left, responses=problems(403))
def leave(room_id: UUID, body: LeaveIn, podium: PodiumDep) -> JSONResponse:
    """Leave the session you joined ("exit myself", the host too), with the `credential` the
    join answered: your seat is given back and the session goes on for the others. Leaving
    twice changes nothing."""
    return respond(podium, podium.live.leave(room_id, body.credential))


def _end(podium: Podium, who: Caller, room_id: UUID, body: NothingIn) -> Result:
    return podium.live.end(who, room_id)


def _lock(podium: Podium, who: Caller, room_id: UUID, body: LockIn) -> Result:
    return podium.live.set_lock(who, room_id, body.locked)


def _invite(podium: Podium, who: Caller, room_id: UUID, body: RoomInviteIn) -> Result:
    return podium.live.invite(who, room_id, body.emails, body.role, body.lang)


def _start(podium: Podium, who: Caller, room_id: UUID, body: NothingIn) -> Result:
    return podium.live.start(who, room_id)


ACTIONS = {
    "session.start": SocketAction(NothingIn, _start),
    "session.end": SocketAction(NothingIn, _end),
    "session.lock": SocketAction(LockIn, _lock),
    "session.invite": SocketAction(RoomInviteIn, _invite),
}
