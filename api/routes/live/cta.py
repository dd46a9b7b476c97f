"""Calls to action in a live session over HTTP, and their socket actions (decision 0014).

A host or presenter displays one for all (it replaces one shown) and hides it for all; it also
hides itself when its display time is up (the policy runner). Participants click its button;
clicks are counted per person (``attendees``) and in all (``clicks``).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field

from api.contract import problems
from api.deps import IdempotencyHeader, PodiumDep, respond
from api.responses.engagement import (
    CallsToActionList,
    CallToActionOut,
    Clicked,
    ShownCallToAction,
)
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.routes.live.keys import room_idempotency
from api.schemas import Body, Integral
from commands.live.actors import Actor, Caller, require_presenter
from commands.unit_of_work import Idempotency, Result
from domain.live.cta import MAX_BUTTON, MAX_DESCRIPTION, MAX_MINUTES, MAX_URL, MIN_MINUTES
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["live calls to action"])


class CtaIn(Body):
    """A call to action: at most 54 characters of description (spaces included), a button,
    its http or https target, and 1 to 7 minutes on screen."""

    description: Annotated[str, Field(min_length=1, max_length=MAX_DESCRIPTION)]
    button_text: Annotated[str, Field(min_length=1, max_length=MAX_BUTTON)]
    url: Annotated[str, Field(min_length=1, max_length=MAX_URL)]
    minutes: Annotated[int, Field(strict=True, ge=MIN_MINUTES, le=MAX_MINUTES), Integral]


class CtaHideIn(Body):
    """The call to action to hide (default: the one shown)."""

    cta_id: UUID | None = None


class CtaClickIn(Body):
    cta_id: UUID


def display(
    podium: Podium,
    caller: Caller,
    room_id: UUID,
    body: CtaIn,
    idempotency: Idempotency | None = None,
) -> Result:
    content = (body.description, body.button_text, body.url)
    return podium.ctas.display(caller, room_id, content, body.minutes, idempotency)


def hide(podium: Podium, caller: Caller, room_id: UUID, body: CtaHideIn) -> Result:
    return podium.ctas.hide(caller, room_id, body.cta_id)


def click(podium: Podium, caller: Caller, room_id: UUID, body: CtaClickIn) -> Result:
    return podium.ctas.click(caller, room_id, body.cta_id)


def snapshot(podium: Podium, room_id: UUID, session: int, actor: Actor) -> dict[str, Any]:
    """The room snapshot's part (decision 0020): the call to action shown, or None."""
    return {"cta": podium.views.live_cta.shown(str(room_id), session)}


ACTIONS = {
    "cta.display": SocketAction(CtaIn, display),
    "cta.hide": SocketAction(CtaHideIn, hide),
    "cta.click": SocketAction(CtaClickIn, click),
}


@router.post(
    "/{room_id}/ctas",
    status_code=201,
    response_model=CallToActionOut,
    responses=problems(403, 409, 422),
)
def display_for_all(
    room_id: UUID, body: CtaIn, caller: RoomCaller, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Display a call to action for all, for its minutes; one shown already is replaced."""
    key = room_idempotency(idem, room_id, caller)
    return respond(podium, display(podium, caller, room_id, body, key))


@router.post(
    "/{room_id}/ctas/{cta_id}/hide", response_model=CallToActionOut, responses=problems(403, 404)
)
def hide_for_all(
    room_id: UUID, cta_id: UUID, caller: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """Hide a call to action for all (hidden already: nothing changes)."""
    return respond(podium, podium.ctas.hide(caller, room_id, cta_id))


@router.post(
    "/{room_id}/ctas/{cta_id}/click", response_model=Clicked, responses=problems(403, 404, 409)
)
def click_button(
    room_id: UUID, cta_id: UUID, caller: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """Click the shown call to action's button: the answer says where it leads."""
    return respond(podium, podium.ctas.click(caller, room_id, cta_id))


@router.get("/{room_id}/cta", response_model=ShownCallToAction, responses=problems(403))
def shown(room_id: UUID, caller: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """The call to action shown in your session now, or null."""
    actor = podium.ctas.reader(caller, room_id)
    now = podium.views.live_cta.shown(str(room_id), actor.session)
    return {"room_id": str(room_id), "session": actor.session, "shown": now}


@router.get("/{room_id}/ctas", response_model=CallsToActionList, responses=problems(403))
def calls_to_action(room_id: UUID, caller: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """Hosts and presenters: the session's calls to action with their click counts."""
    actor = podium.ctas.reader(caller, room_id)
    require_presenter(actor, "read the calls to action's clicks")
    listed = podium.views.live_cta.calls_to_action(str(room_id), actor.session)
    return {"room_id": str(room_id), "session": actor.session, "calls_to_action": listed}
