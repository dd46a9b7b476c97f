"""Raised hands in a live session over HTTP, and their socket actions (decision 0014).

An attendee raises and lowers their own hand (``/hand``); a host or presenter lowers anyone's
(``/hands/{hand_id}/lower``). The queue lists raised hands in the order they went up.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.contract import problems
from api.deps import PodiumDep, respond
from api.responses.engagement import HandOut, HandQueue
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.schemas import Body
from commands.live.actors import Actor, Caller
from commands.unit_of_work import Result
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["live hands"])


class RaiseIn(Body):
    """Nothing to say: the hand is the caller's."""


class LowerIn(Body):
    """Your own hand, or (hosts and presenters) the hand ``hand_id`` of the queue."""

    hand_id: UUID | None = None


def raise_hand(podium: Podium, caller: Caller, room_id: UUID, body: RaiseIn) -> Result:
    return podium.hands.raise_hand(caller, room_id)


def lower_hand(podium: Podium, caller: Caller, room_id: UUID, body: LowerIn) -> Result:
    return podium.hands.lower(caller, room_id, body.hand_id)


def snapshot(podium: Podium, room_id: UUID, session: int, actor: Actor) -> dict[str, Any]:
    """The room snapshot's part (decision 0020): the raised hands, first raised first."""
    return {"hands": podium.views.live_hands.queue(str(room_id), session, actor.presents)}


ACTIONS = {
    "hand.raise": SocketAction(RaiseIn, raise_hand),
    "hand.lower": SocketAction(LowerIn, lower_hand),
}


@router.post("/{room_id}/hand", response_model=HandOut, responses=problems(403, 409))
def raise_own(room_id: UUID, caller: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Raise your hand: it joins the end of the queue (raised already: nothing changes)."""
    return respond(podium, podium.hands.raise_hand(caller, room_id))


@router.delete("/{room_id}/hand", response_model=HandOut, responses=problems(403, 409))
def lower_own(room_id: UUID, caller: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Lower your hand (down already: nothing changes)."""
    return respond(podium, podium.hands.lower(caller, room_id))


@router.post(
    "/{room_id}/hands/{hand_id}/lower", response_model=HandOut, responses=problems(403, 404)
)
def lower_theirs(
    room_id: UUID, hand_id: UUID, caller: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """A host or presenter lowers a hand of the queue."""
    return respond(podium, podium.hands.lower(caller, room_id, hand_id))


@router.get("/{room_id}/hands", response_model=HandQueue, responses=problems(403))
def queue(room_id: UUID, caller: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """The session's raised hands, first raised first (with emails for presenters)."""
    actor = podium.hands.reader(caller, room_id)
    hands = podium.views.live_hands.queue(str(room_id), actor.session, actor.presents)
    return {"room_id": str(room_id), "session": actor.session, "hands": hands}
