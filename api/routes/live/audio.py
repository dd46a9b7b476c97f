"""A session's audio over HTTP: the mode, microphones, voice requests and the voice (decision
0016). Each route takes the host's API key or a participant's ``Podium-Attendance``
credential; what only a host or presenter may do is refused to listeners with a 403 that says
what. The same actions go over the room's socket (``ACTIONS``).
"""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import EmailStr

from api.contract import problems
from api.deps import PodiumDep, respond
from api.responses.live import AudioState
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.schemas import Body
from commands.live.actors import Caller
from commands.unit_of_work import Result
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["live audio"])
ACTED = problems(401, 403, 404, 409)
ModeName = Literal["listen_only", "qa", "discussion", "presenters_only"]


class ModeIn(Body):
    mode: ModeName


class MuteIn(Body):
    """Your own microphone, or (a host or presenter, muting only) someone else's by email."""

    muted: bool
    email: EmailStr | None = None


class VoiceRequestIn(Body):
    """File (true) or withdraw (false) your voice request in Q&A mode."""

    filed: bool = True


class VoiceIn(Body):
    """Give the voice to a participant (true), or take it back (false)."""

    email: EmailStr
    given: bool = True


@router.get("/{room_id}/audio", response_model=AudioState, responses=ACTED)
def state(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """The session's audio as you are in it: the mode, whether you are muted, may speak, hear;
    presenters also see who has the voice."""
    return respond(podium, podium.audio.state(who, room_id))


@router.post("/{room_id}/audio/mode", response_model=AudioState, responses=ACTED)
def mode(room_id: UUID, body: ModeIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Change the audio mode (a host or presenter): listen_only, qa, discussion (up to 25
    attendees in the session, 5 on the trial) or presenters_only. Every other presenter is
    muted and must unmute themselves."""
    return respond(podium, podium.audio.set_mode(who, room_id, body.mode))


@router.post("/{room_id}/audio/mute", response_model=AudioState, responses=ACTED)
def mute(room_id: UUID, body: MuteIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Mute or unmute yourself (a participant unmutes only when the mode lets them speak), or
    mute someone else (a host or presenter)."""
    return respond(podium, podium.audio.mute(who, room_id, body.email, body.muted))


@router.post("/{room_id}/audio/voice-request", response_model=AudioState, responses=ACTED)
def voice_request(
    room_id: UUID, body: VoiceRequestIn, who: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """Ask for the voice in Q&A mode, or withdraw the request."""
    return respond(podium, podium.audio.request_voice(who, room_id, body.filed))


@router.post("/{room_id}/audio/voice", response_model=AudioState, responses=ACTED)
def voice(room_id: UUID, body: VoiceIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Give the voice to one participant in Q&A mode (whoever had it loses it), or take it
    back (a host or presenter)."""
    return respond(podium, podium.audio.give_voice(who, room_id, body.email, body.given))


def _mode(podium: Podium, who: Caller, room_id: UUID, body: ModeIn) -> Result:
    return podium.audio.set_mode(who, room_id, body.mode)


def _mute(podium: Podium, who: Caller, room_id: UUID, body: MuteIn) -> Result:
    return podium.audio.mute(who, room_id, body.email, body.muted)


def _voice_request(podium: Podium, who: Caller, room_id: UUID, body: VoiceRequestIn) -> Result:
    return podium.audio.request_voice(who, room_id, body.filed)


def _voice(podium: Podium, who: Caller, room_id: UUID, body: VoiceIn) -> Result:
    return podium.audio.give_voice(who, room_id, body.email, body.given)


ACTIONS = {
    "audio.mode": SocketAction(ModeIn, _mode),
    "audio.mute": SocketAction(MuteIn, _mute),
    "audio.voice_request": SocketAction(VoiceRequestIn, _voice_request),
    "audio.voice": SocketAction(VoiceIn, _voice),
}
