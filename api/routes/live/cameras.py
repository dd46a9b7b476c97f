"""Camera feeds of the running session over HTTP, and the socket's ``camera.set`` (decision
0018): 4 feeds by default, up to 7 with the camera-feed add-on; with the camera off a person
shows their avatar. Presenters and the host use a camera; an attendee once asked on camera."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import EmailStr

from api.contract import problems
from api.deps import PodiumDep, respond
from api.responses.stage import CameraFeedList, CameraState
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.schemas import Body
from commands.live.actors import Actor, Caller
from commands.unit_of_work import Result
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["camera feeds"])


class CameraIn(Body):
    """``on: true`` takes a camera feed; ``on: false`` gives it back and shows your avatar."""

    on: bool


class GuestIn(Body):
    email: EmailStr


def _camera(podium: Podium, caller: Caller, room_id: UUID, body: CameraIn) -> Result:
    return podium.cameras.camera(room_id, caller, body.on)


@router.get("/{room_id}/cameras", response_model=CameraFeedList)
def feeds(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """Who is on stage now, each with a camera or an avatar."""
    actor = podium.cameras.viewer(room_id, who)
    return podium.views.cameras.feeds(str(room_id), actor.session, actor.presents)


@router.put("/{room_id}/camera", response_model=CameraState, responses=problems(403))
def camera(room_id: UUID, body: CameraIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Turn your camera on (refused, naming the camera-feed add-on, when every feed the plan
    allows is in use) or off (your avatar shows instead)."""
    return respond(podium, _camera(podium, who, room_id, body))


@router.post("/{room_id}/cameras/guests", response_model=CameraState, responses=problems(403))
def ask(room_id: UUID, body: GuestIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Ask an attendee of this session on camera: they may then turn theirs on."""
    return respond(podium, podium.cameras.ask_on_camera(room_id, who, str(body.email)))


def snapshot(podium: Podium, room_id: UUID, session: int, actor: Actor) -> dict[str, Any]:
    """The room snapshot's part (decision 0020): who is on stage, camera or avatar."""
    return {"cameras": podium.views.cameras.feeds(str(room_id), session, actor.presents)}


ACTIONS = {"camera.set": SocketAction(CameraIn, _camera)}
