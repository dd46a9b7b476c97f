"""The stage of the running session over HTTP (decision 0018): which file and page are shown,
which YouTube video is shared and where it is, so a late joiner sees what everyone sees.
Presenters (and the host) change it; everyone present reads it."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field

from api.contract import problems
from api.deps import PodiumDep, respond
from api.responses.stage import StageState
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.schemas import Body
from commands.live.actors import Actor, Caller
from commands.unit_of_work import Result
from domain.live.stage import MAX_FILE, MAX_PAGE, MAX_POSITION_MS
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["stage"])
FileText = Annotated[str, Field(min_length=1, max_length=MAX_FILE)]


class PresentationIn(Body):
    """A file of the room's library and the page to show (turning a page: the same file)."""

    file_id: FileText
    name: FileText
    page: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1


class VideoIn(Body):
    """Share a YouTube video (``video_id``), or play, pause or seek the shared one (omit it):
    where it is now, in seconds, and whether it plays on."""

    video_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{11}$")] | None = None
    position: Annotated[float, Field(ge=0, le=MAX_POSITION_MS / 1000)] = 0
    playing: bool = True


def _presentation(podium: Podium, caller: Caller, room_id: UUID, body: PresentationIn) -> Result:
    return podium.stages.show_presentation(room_id, caller, body.file_id, body.name, body.page)


def _video(podium: Podium, caller: Caller, room_id: UUID, body: VideoIn) -> Result:
    position_ms = round(body.position * 1000)
    return podium.stages.show_video(room_id, caller, body.video_id, position_ms, body.playing)


@router.get("/{room_id}/stage", response_model=StageState)
def stage(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """What the session shows now; a playing video's ``position`` is where it is now."""
    actor = podium.stages.viewer(room_id, who)
    return podium.views.stage.stage(str(room_id), actor.session, podium.clock.now())


@router.put("/{room_id}/stage/presentation", response_model=StageState, responses=problems(403))
def presentation(
    room_id: UUID, body: PresentationIn, who: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """Show a file at a page to everyone."""
    return respond(podium, _presentation(podium, who, room_id, body))


@router.delete("/{room_id}/stage/presentation", response_model=StageState, responses=problems(403))
def stop_presentation(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    return respond(podium, podium.stages.stop_presentation(room_id, who))


@router.put("/{room_id}/stage/video", response_model=StageState, responses=problems(403))
def video(room_id: UUID, body: VideoIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Share a video, or play, pause or seek it, for everyone."""
    return respond(podium, _video(podium, who, room_id, body))


@router.delete("/{room_id}/stage/video", response_model=StageState, responses=problems(403))
def stop_video(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    return respond(podium, podium.stages.stop_video(room_id, who))


def snapshot(podium: Podium, room_id: UUID, session: int, actor: Actor) -> dict[str, Any]:
    """The room snapshot's part (decision 0020): the presentation page or video shown."""
    return {"stage": podium.views.stage.stage(str(room_id), session, podium.clock.now())}


ACTIONS = {
    "stage.presentation": SocketAction(PresentationIn, _presentation),
    "stage.video": SocketAction(VideoIn, _video),
}
