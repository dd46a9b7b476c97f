"""Recording control and the room's settings during the event, over REST and the socket.

A presenter or the host presses REC (``POST .../recording/start``) and stops it; listeners are
refused (403). The account's default auto-start and its allowance are ``/account/recording``.
Changing the interface language or toll-free numbers from inside the room is
``PATCH /rooms/{id}/live-settings`` (decision 0021).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import Field, StrictBool

from api.contract import problems
from api.deps import CurrentPrincipal, PodiumDep, respond
from api.responses.recording import LiveRoomSettings, RecorderState, Recordings, RecordingUsage
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.routes.rooms import own_room
from api.schemas import Body
from commands.live.actors import Actor, Caller
from commands.unit_of_work import Result
from domain.errors import NotFoundError
from domain.login import Role
from podium.bootstrap import Podium

router = APIRouter(tags=["recording"])


class NoBody(Body):
    """Nothing to say: the room and the caller are the whole request."""


class LiveSettingsIn(Body):
    """What to change: the interface language, toll-free numbers (with the phone gateway)."""

    language: Annotated[str, Field(min_length=2, max_length=8)] | None = None
    toll_free: StrictBool | None = None
    phone_gateway: StrictBool | None = None


class AutostartIn(Body):
    autostart: StrictBool


def start_recording(podium: Podium, caller: Caller, room_id: UUID, body: NoBody) -> Result:
    return podium.recordings.start(caller, room_id)


def stop_recording(podium: Podium, caller: Caller, room_id: UUID, body: NoBody) -> Result:
    return podium.recordings.stop(caller, room_id)


def change_settings(podium: Podium, caller: Caller, room_id: UUID, body: LiveSettingsIn) -> Result:
    return podium.live_settings.change(
        caller,
        room_id,
        language=body.language,
        toll_free=body.toll_free,
        phone_gateway=body.phone_gateway,
    )


PRIVATE = ("started_by", "stopped_by")  # presenters' emails: presenters only (decision 0014)


def snapshot(podium: Podium, room_id: UUID, session: int, actor: Actor) -> dict[str, Any]:
    """The room snapshot's part (decision 0020): whether the session records, its recordings,
    and the interface language; read from the recordings read model only."""
    listed = podium.views.recordings.recordings(str(room_id), podium.clock.now(), session)
    if not actor.presents:
        listed = [{k: v for k, v in row.items() if k not in PRIVATE} for row in listed]
    return {
        "recording": {"on": any(row["running"] for row in listed), "recordings": listed},
        "language": podium.views.recordings.language(str(room_id), session),
    }


ACTIONS = {
    "recording.start": SocketAction(NoBody, start_recording),
    "recording.stop": SocketAction(NoBody, stop_recording),
    "settings.change": SocketAction(LiveSettingsIn, change_settings),
}


@router.post(
    "/rooms/{room_id}/recording/start", response_model=RecorderState, responses=problems(403, 409)
)
def start(room_id: UUID, caller: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """REC: start recording the live session, in the room's interface language of this moment.
    A recording already running stays as it is (``started: false``). Refused (409) once the
    account's recording allowance is used up."""
    return respond(podium, start_recording(podium, caller, room_id, NoBody()))


@router.post(
    "/rooms/{room_id}/recording/stop", response_model=RecorderState, responses=problems(403, 409)
)
def stop(room_id: UUID, caller: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Stop the session's recording; with none running nothing changes (``stopped: false``)."""
    return respond(podium, stop_recording(podium, caller, room_id, NoBody()))


@router.get("/rooms/{room_id}/recording", response_model=RecorderState)
def recording_state(room_id: UUID, caller: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Whether the caller's session is being recorded now, and its latest recording."""
    return respond(podium, podium.recordings.state(caller, room_id))


@router.get("/rooms/{room_id}/recordings", response_model=Recordings)
def recordings(
    room_id: UUID,
    who: CurrentPrincipal,
    podium: PodiumDep,
    session: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> dict[str, Any]:
    """The room's recordings (of one session with ``session``), oldest first: start, stop,
    duration in seconds, language, and the presenters-only periods in which nothing was
    recorded."""
    own_room(podium, who, room_id)
    listed = podium.views.recordings.recordings(str(room_id), podium.clock.now(), session)
    return {"recordings": listed}


@router.patch(
    "/rooms/{room_id}/live-settings",
    response_model=LiveRoomSettings,
    responses=problems(403, 409),
)
def change_live_settings(
    room_id: UUID, body: LiveSettingsIn, caller: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """Change the room's settings during the event (presenters and the host): the interface
    ``language`` (a recording running keeps the one it started in), and ``toll_free``. Toll-free
    numbers need the phone gateway: with it off, ``toll_free: true`` alone is refused (409) with
    the instruction to send ``phone_gateway: true`` too, which turns both on."""
    return respond(podium, change_settings(podium, caller, room_id, body))


@router.get("/rooms/{room_id}/live-settings", response_model=LiveRoomSettings)
def live_settings(room_id: UUID, caller: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """The room's interface language and phone settings as the room shows them now."""
    return respond(podium, podium.live_settings.state(caller, room_id))


@router.get("/account/recording", response_model=RecordingUsage)
def usage(who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    """The account's recording allowance (its plan's minutes), what its recordings used of it
    (counted when each stops), and whether its events start recording by themselves."""
    if who.role == Role.SUBACCOUNT:
        summary = podium.views.accounts.subaccount(str(who.account_id))
    else:
        summary = podium.views.accounts.account(str(who.account_id))
    if summary is None:
        raise NotFoundError("account not found")
    allowance = int(summary["limits"]["recording_minutes"])
    return podium.views.recordings.usage(str(who.account_id), allowance)


@router.put("/account/recording", response_model=RecordingUsage)
def set_autostart(body: AutostartIn, who: CurrentPrincipal, podium: PodiumDep) -> JSONResponse:
    """The account's default: with ``autostart`` on, every event of the account starts
    recording when it starts (an event's own ``recorder_autostart`` does it for that event)."""
    return respond(podium, podium.recordings.set_autostart(who.account_id, body.autostart))
