"""``/ws/rooms/{room_id}/sessions/{n}/playback``: a past session's room events, in time (0029).

For a recording player beside the media (BigBlueButton's events.xml playback is the model), from
the log the live room used, not from a second capture. Connect with the owner's API key, as
``?api_key=`` (browsers cannot set headers on a WebSocket) or the ``X-Api-Key`` header, and:

- ``from``: where to start, a position or an ISO 8601 instant in the session (default: its
  start); ``speed``: how much faster than it happened, ``MIN_SPEED`` to ``MAX_SPEED`` (1).

Server to client, JSON text frames: ``{"type": "state", "position", "at", "state"}`` (the
room at ``from``, exactly what ``GET .../state?at=`` answers), then ``{"type": "events",
"at", "events": [...]}`` for the session's later events, each group of one moment sent after
the original gap to the one before divided by ``speed``, each event as presenters received it
live; ``{"type": "end"}`` and close 1000 after the last. A refusal is an ``error`` frame, then
close 4000 + its HTTP status (4401 no or a bad key, 4404 unknown room or session, 4422 bad
``from`` or ``speed``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from api.errors import status_of
from api.gateway.hub import event_json
from api.gateway.replay import Session, position_of, session_of, state_at
from api.gateway.socket import frame, refuse
from commands.errors import AuthenticationError
from domain.errors import DomainError, InvalidRequestError, NotFoundError
from podium.bootstrap import Podium

router = APIRouter()
MIN_SPEED, MAX_SPEED = 0.25, 16.0
DONE = 1000
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Beat:
    """Events of one moment and how long to wait before sending them."""

    delay: float  # seconds of playback after the beat before
    at: str
    events: tuple[dict[str, Any], ...]


def beats(rows: Iterable[dict[str, Any]], since: str, speed: float) -> list[Beat]:
    """The session's later feed rows grouped by moment, each after its original gap (from
    ``since``, the moment playback starts at) divided by ``speed``."""
    out: list[Beat] = []
    previous = datetime.fromisoformat(since)
    for row in rows:
        at = str(row["at"] or since)
        if out and out[-1].at == at:
            out[-1] = Beat(out[-1].delay, at, (*out[-1].events, row))
            continue
        moment = datetime.fromisoformat(at)
        gap = max(0.0, (moment - previous).total_seconds()) / speed
        out.append(Beat(gap, at, (row,)))
        previous = max(previous, moment)
    return out


def parse_speed(text: str | None) -> float:
    if text is None:
        return 1.0
    try:
        speed = float(text)
    except ValueError:
        raise InvalidRequestError(f"speed '{text[:20]}' is not a number") from None
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise InvalidRequestError(f"speed must be from {MIN_SPEED} to {MAX_SPEED}")
    return speed


def opening(podium: Podium, key: str | None, room_id: str, n: str) -> Session:
    """The session to play, for the owner of ``key`` (DomainError when refused)."""
    if not key:
        raise AuthenticationError("send your API key as ?api_key= or in the X-Api-Key header")
    who = podium.accounts.authenticate(key)
    try:
        room, number = UUID(room_id), int(n)
    except ValueError:
        raise NotFoundError("session not found") from None
    row = podium.views.rooms.room(str(room))
    if row is None or row["account_id"] != str(who.account_id):
        raise NotFoundError("room not found")
    return session_of(podium, room, number)


@router.websocket("/ws/rooms/{room_id}/sessions/{n}/playback")
async def playback(websocket: WebSocket, room_id: str, n: str) -> None:
    """A session's room events at their original pace (see the module's docstring)."""
    podium: Podium = websocket.app.state.podium
    sleep: Sleep = getattr(websocket.app.state, "playback_sleep", asyncio.sleep)
    await websocket.accept()
    params = websocket.query_params
    key = websocket.headers.get("x-api-key") or params.get("api_key")
    try:
        speed = parse_speed(params.get("speed"))
        session = await run_in_threadpool(opening, podium, key, room_id, n)
        start = params.get("from") or str(session.first)
        position = await run_in_threadpool(position_of, podium, session, start)
        moment = await run_in_threadpool(state_at, podium, session, position)
        rows = await run_in_threadpool(
            podium.views.room_feed.session_events, str(session.room_id), session.number, position
        )
    except DomainError as error:
        await refuse(websocket, status_of(error), str(error))
        return
    try:
        await websocket.send_text(frame("state", **moment))
        for beat in beats(rows, moment["at"] or session.started_at, speed):
            await sleep(beat.delay)
            events = ",".join(event_json(row, str(row["payload"])) for row in beat.events)
            await websocket.send_text(f'{{"type":"events","at":"{beat.at}","events":[{events}]}}')
        await websocket.send_text(frame("end"))
        await websocket.close(code=DONE)
    except WebSocketDisconnect:
        return
