"""The whiteboard of the running session over HTTP, and the socket's ``whiteboard.stroke`` and
``whiteboard.note`` (decision 0018). Attendees draw only while a presenter has turned
collaborate on; presenters always; a clear wipes it for everyone, late joiners included."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field

from api.contract import problems
from api.deps import PodiumDep, respond
from api.responses.stage import Board, BoardState, MarkState
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.schemas import Body
from commands.live.actors import Actor, Caller
from commands.unit_of_work import Result
from domain.live.whiteboard import MAX_NOTE, MAX_POINTS, MAX_WIDTH, MarkKind
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["whiteboard"])
Point = Annotated[list[float], Field(min_length=2, max_length=2, description="[x, y]")]
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$", examples=["#1e90ff"])]
Width = Annotated[int, Field(ge=1, le=MAX_WIDTH)]


class StrokeIn(Body):
    """A line through 2 to 2,000 points (coordinates 0 to 10,000)."""

    points: list[Point] = Field(min_length=2, max_length=MAX_POINTS)
    colour: Colour = "#000000"
    width: Width = 2


class NoteIn(Body):
    """A text note placed at one point."""

    at: Point
    text: Annotated[str, Field(min_length=1, max_length=MAX_NOTE)]
    colour: Colour = "#000000"


class CollaborateIn(Body):
    on: bool


def _stroke(podium: Podium, caller: Caller, room_id: UUID, body: StrokeIn) -> Result:
    return podium.whiteboards.draw(
        room_id, caller, MarkKind.STROKE, body.points, None, body.colour, body.width
    )


def _note(podium: Podium, caller: Caller, room_id: UUID, body: NoteIn) -> Result:
    return podium.whiteboards.draw(
        room_id, caller, MarkKind.NOTE, [body.at], body.text, body.colour, 1
    )


@router.get("/{room_id}/whiteboard", response_model=Board)
def board(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """The board as everyone sees it now: what was drawn since the last clear, in order."""
    actor = podium.whiteboards.viewer(room_id, who)
    return podium.views.whiteboard.board(str(room_id), actor.session, actor.presents)


@router.post("/{room_id}/whiteboard/strokes", response_model=MarkState, responses=problems(403))
def stroke(room_id: UUID, body: StrokeIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Draw a stroke (an attendee only while collaborate is on)."""
    return respond(podium, _stroke(podium, who, room_id, body))


@router.post("/{room_id}/whiteboard/notes", response_model=MarkState, responses=problems(403))
def note(room_id: UUID, body: NoteIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Put a note on the board (an attendee only while collaborate is on)."""
    return respond(podium, _note(podium, who, room_id, body))


@router.put("/{room_id}/whiteboard/collaborate", response_model=BoardState, responses=problems(403))
def collaborate(
    room_id: UUID, body: CollaborateIn, who: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """Let attendees draw (``on: true``), or leave the board to presenters."""
    return respond(podium, podium.whiteboards.collaborate(room_id, who, body.on))


@router.post("/{room_id}/whiteboard/clear", response_model=BoardState, responses=problems(403))
def clear(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Wipe the board for everyone; a late joiner sees only what is drawn after this."""
    return respond(podium, podium.whiteboards.clear(room_id, who))


def snapshot(podium: Podium, room_id: UUID, session: int, actor: Actor) -> dict[str, Any]:
    """The room snapshot's part (decision 0020): the board since its last clear."""
    return {"whiteboard": podium.views.whiteboard.board(str(room_id), session, actor.presents)}


ACTIONS = {
    "whiteboard.stroke": SocketAction(StrokeIn, _stroke),
    "whiteboard.note": SocketAction(NoteIn, _note),
}
