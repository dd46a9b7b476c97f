"""Audio and video connections over the socket and REST (decisions 0022, 0024).

A participant offers a WebRTC connection per purpose: ``receive`` (anyone in a live session)
and ``publish`` (a presenter or the host; in Q&A the participant given the voice; in
discussion everyone; an attendee asked on camera). Socket frames:

- ``{"action": "media.offer", "purpose": "receive"|"publish", "sdp": "<offer SDP>"}`` answers
  ``{"type": "answer", "status": 200, "body": {"type": "answer", "sdp": "...", "purpose"}}``;
- ``{"action": "media.candidate", "purpose": ..., "candidate": {...} | null}`` (a trickled ICE
  candidate as the browser's ``RTCIceCandidate.toJSON()`` gives it; ``null``: no more);
- ``{"action": "media.hang_up", "purpose": ...}``.

Refusals are error frames: 403 (may not publish), 409 (the session ended), 400 (an SDP or
candidate the SFU cannot read), 503 (no media plane here).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field

from api.contract import problems
from api.deps import PodiumDep, respond
from api.responses.media import MediaAnswer, MediaConnection
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.schemas import Body
from commands.live.actors import Caller
from commands.live.media import Purpose
from commands.unit_of_work import Result
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["media"])
MAX_SDP = 65_536  # a browser's offer with every codec is ~6-10 KB


class OfferIn(Body):
    purpose: Purpose
    sdp: Annotated[str, Field(min_length=1, max_length=MAX_SDP)]


class CandidateIn(Body):
    purpose: Purpose
    candidate: dict[str, Any] | None = None


class HangUpIn(Body):
    purpose: Purpose


def _offer(podium: Podium, caller: Caller, room_id: UUID, body: OfferIn) -> Result:
    return podium.media.offer(room_id, caller, body.purpose, body.sdp)


def _candidate(podium: Podium, caller: Caller, room_id: UUID, body: CandidateIn) -> Result:
    return podium.media.candidate(room_id, caller, body.purpose, body.candidate)


def _hang_up(podium: Podium, caller: Caller, room_id: UUID, body: HangUpIn) -> Result:
    return podium.media.hang_up(room_id, caller, body.purpose)


@router.post(
    "/{room_id}/media/offer", response_model=MediaAnswer, responses=problems(400, 403, 409, 503)
)
def offer(room_id: UUID, body: OfferIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Offer a receive or publish connection; the answer's SDP comes back."""
    return respond(podium, _offer(podium, who, room_id, body))


@router.post(
    "/{room_id}/media/candidate",
    response_model=MediaConnection,
    responses=problems(400, 403, 409, 503),
)
def candidate(room_id: UUID, body: CandidateIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """A trickled ICE candidate of one of your connections (``null``: no more)."""
    return respond(podium, _candidate(podium, who, room_id, body))


@router.post("/{room_id}/media/hang-up", response_model=MediaConnection, responses=problems(403))
def hang_up(room_id: UUID, body: HangUpIn, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Close one of your connections."""
    return respond(podium, _hang_up(podium, who, room_id, body))


ACTIONS = {
    "media.offer": SocketAction(OfferIn, _offer),
    "media.candidate": SocketAction(CandidateIn, _candidate),
    "media.hang_up": SocketAction(HangUpIn, _hang_up),
}
