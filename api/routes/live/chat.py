"""A live session's chat over HTTP, and its socket actions (decision 0014).

Participants write while the chat is on, to all or privately to the presenters; presenters may
always write, delete messages and switch the chat on or off. More than five messages a second
from one participant is refused with 429 (the ``chat per participant`` limit, counted by the
rate limiter's storage: per process with ``memory://``, across processes with a shared one).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from api.contract import problems
from api.deps import IdempotencyHeader, PodiumDep, respond
from api.responses.engagement import ChatHistory, ChatMessageOut, ChatState
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.routes.live.keys import caller_key, room_idempotency
from api.schemas import Body, Position
from api.throttle import RateLimitedError
from commands.errors import PermissionDeniedError
from commands.live.actors import Actor, Caller
from commands.unit_of_work import Idempotency, Result
from domain.live.chat import MAX_MESSAGE
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["live chat"])
LIMIT = "chat per participant"


class ChatIn(Body):
    """A message to everyone in the session, or privately to its presenters."""

    text: Annotated[str, Field(min_length=1, max_length=MAX_MESSAGE)]
    to: Literal["all", "presenters"] = "all"


class ChatDeleteIn(Body):
    message_id: UUID


class ChatSwitchIn(Body):
    """Chat on (participants may write) or off (only presenters may)."""

    enabled: bool


def send(
    podium: Podium,
    caller: Caller,
    room_id: UUID,
    body: ChatIn,
    idempotency: Idempotency | None = None,
) -> Result:
    """Send a message, unless its sender has sent five in the last second (429)."""
    wait = podium.rate_limiter.hit(LIMIT, caller_key(room_id, caller))
    if wait is not None:
        raise RateLimitedError(
            f"too many chat messages: at most {podium.settings.limit_chat_per_participant} "
            f"from one participant; try again in {wait} second{'' if wait == 1 else 's'}",
            wait,
        )
    return podium.chat.send(caller, room_id, body.text, body.to, idempotency)


def delete(podium: Podium, caller: Caller, room_id: UUID, body: ChatDeleteIn) -> Result:
    return podium.chat.delete(caller, room_id, body.message_id)


def switch(podium: Podium, caller: Caller, room_id: UUID, body: ChatSwitchIn) -> Result:
    return podium.chat.switch(caller, room_id, body.enabled)


def snapshot(podium: Podium, room_id: UUID, session: int, actor: Actor) -> dict[str, Any]:
    """The room snapshot's part (decision 0020): the chat so far as ``actor`` may read it."""
    view = podium.views.live_chat
    return {
        "chat": {
            "enabled": view.enabled(str(room_id), session),
            "messages": view.history(str(room_id), session, actor.presents, actor.email),
        }
    }


ACTIONS = {
    "chat.send": SocketAction(ChatIn, send),
    "chat.delete": SocketAction(ChatDeleteIn, delete),
    "chat.switch": SocketAction(ChatSwitchIn, switch),
}


@router.post(
    "/{room_id}/chat/messages",
    status_code=201,
    response_model=ChatMessageOut,
    responses=problems(403, 404, 409, 422, 429),
)
def send_message(
    room_id: UUID, body: ChatIn, caller: RoomCaller, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Write in the session's chat: to everyone, or privately to the presenters
    (`"to": "presenters"`). Participants may write while the chat is on; at most 5 messages a
    second each and 2,000 characters a message."""
    return respond(
        podium, send(podium, caller, room_id, body, room_idempotency(idem, room_id, caller))
    )


@router.delete(
    "/{room_id}/chat/messages/{message_id}",
    response_model=ChatMessageOut,
    responses=problems(403, 404),
)
def delete_message(
    room_id: UUID, message_id: UUID, caller: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """A presenter deletes a message for everyone; the history keeps it, marked deleted."""
    return respond(podium, podium.chat.delete(caller, room_id, message_id))


@router.put("/{room_id}/chat", response_model=ChatState, responses=problems(403, 409))
def switch_chat(
    room_id: UUID, body: ChatSwitchIn, caller: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """A presenter turns the chat on or off for participants (presenters may always write)."""
    return respond(podium, podium.chat.switch(caller, room_id, body.enabled))


@router.get("/{room_id}/chat/messages", response_model=ChatHistory, responses=problems(403))
def history(
    room_id: UUID,
    caller: RoomCaller,
    podium: PodiumDep,
    session: Annotated[Position | None, Query(description="presenters: another session")] = None,
) -> dict[str, Any]:
    """The session's chat in the order sent. Presenters see every message (private ones and
    deleted ones, marked) of any session; a participant sees their own session's messages to
    all and their own private ones."""
    actor = podium.chat.reader(caller, room_id)
    if session is not None and session != actor.session and not actor.presents:
        raise PermissionDeniedError("participants read the chat of their own session only")
    n = session or actor.session
    view = podium.views.live_chat
    return {
        "room_id": str(room_id),
        "session": n,
        "enabled": view.enabled(str(room_id), n),
        "messages": view.history(str(room_id), n, actor.presents, actor.email),
    }
