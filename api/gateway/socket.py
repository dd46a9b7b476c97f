"""``/ws/rooms/{room_id}``: a participant's live connection to the room (decision 0020).

Connect with the attendance credential ``POST /rooms/{room_id}/join`` answered with, as
``?credential=`` (browsers cannot set headers on a WebSocket) or the ``Podium-Attendance``
header. Then, server to client, JSON text frames:

- ``{"type": "snapshot", "position": P, "state": {...}}``: the room now, showing every event up
  to position P; or, reconnecting with ``?since=P``, ``{"type": "resumed", "since": P}`` and
  exactly the events missed (a ``since`` too far back, more than ``ws_resume_events`` events,
  gets a fresh snapshot instead);
- ``{"type": "events", "events": [{"position", "session", "kind", "stream", "payload"}, ...]}``:
  room events in log order, each with its position (the global notification id);
- ``{"type": "answer", ...}`` / ``{"type": "error", ...}``: what a frame sent got (see
  ``api.gateway.frames``); ``{"type": "ping"}`` every ``ws_ping_interval``;
- ``{"type": "resync", "since": P}``, then close code 4000: the client fell too far behind;
  reconnect with ``since=P``.

A socket that sends nothing (not even ``{"action": "pong"}``) for ``ws_silence_limit`` is
closed (4408); when a person's last socket is gone and they do not come back within
``ws_leave_grace``, they leave the session, so attendance durations come out right.
A credential refused is an error frame, then close code 4000 + its HTTP status.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from uuid import UUID

import orjson
from fastapi import APIRouter, FastAPI, WebSocket, WebSocketDisconnect

from api.errors import status_of
from api.gateway.frames import handle
from api.gateway.hub import RESYNC, Batch, Client, Hub, batches
from api.gateway.snapshot import resolve, take
from commands.live.actors import Actor
from domain.errors import DomainError
from podium.bootstrap import Podium

router = APIRouter()
log = logging.getLogger(__name__)
PING = '{"type":"ping"}'
RESYNC_CLOSE, SILENT_CLOSE = 4000, 4408


async def hub_of(app: FastAPI, podium: Podium) -> Hub:
    """This app's hub on the running loop, started on first use (once, however many sockets
    arrive together)."""
    loop = asyncio.get_running_loop()
    hub: Hub | None = getattr(app.state, "room_hub", None)
    if hub is None or hub.loop is not loop:
        hub = Hub(podium, loop)
        hub.starting = loop.create_task(hub.start())
        app.state.room_hub = hub
    if hub.starting is not None:
        await asyncio.shield(hub.starting)
    return hub


def frame(kind: str, **fields: Any) -> str:
    return orjson.dumps({"type": kind, **fields}).decode()


async def refuse(websocket: WebSocket, status: int, detail: str) -> None:
    await websocket.send_text(frame("error", status=status, detail=detail))
    await websocket.close(code=RESYNC_CLOSE + status, reason=detail[:120])


@router.websocket("/ws/rooms/{room_id}")
async def room_socket(websocket: WebSocket, room_id: str) -> None:
    """The room's live feed and actions for one participant (see the module's docstring)."""
    podium: Podium = websocket.app.state.podium
    await websocket.accept()
    try:
        room = UUID(room_id)
    except ValueError:
        await refuse(websocket, 404, "room not found")
        return
    credential = (
        websocket.query_params.get("credential") or websocket.headers.get("podium-attendance") or ""
    ).strip()
    if not credential:
        await refuse(
            websocket,
            401,
            "send the credential POST /rooms/{room_id}/join answered with, as ?credential=",
        )
        return
    hub = await hub_of(websocket.app, podium)
    try:
        actor = await hub.run(resolve, podium, room, credential)
    except DomainError as error:
        await refuse(websocket, status_of(error), str(error))
        return
    await Connection(hub, websocket, room, credential, actor).serve()


class Connection:
    """One socket's life: first frames, then a writer task, a pinger, and the reader."""

    def __init__(
        self, hub: Hub, websocket: WebSocket, room: UUID, credential: str, actor: Actor
    ) -> None:
        self.hub, self.websocket, self.room, self.credential = hub, websocket, room, credential
        self.actor = actor
        self.settings = hub.podium.settings
        self.person = (str(room), actor.session, actor.email)
        self.client = Client(
            room_id=str(room),
            session=actor.session,
            presents=actor.presents,
            person=actor.email,
            queue=asyncio.Queue(self.settings.ws_queue_frames),
        )

    async def serve(self) -> None:
        hub = self.hub
        hub.sockets[self.person] = hub.sockets.get(self.person, 0) + 1
        pending_leave = hub.leaving.pop(self.person, None)
        if pending_leave is not None:
            pending_leave.cancel()  # back within the grace period: still here
        tasks: list[asyncio.Task[None]] = []
        try:
            await self.open()
            tasks = [
                asyncio.create_task(self.write()),
                asyncio.create_task(self.ping()),
            ]
            await self.read()
        except WebSocketDisconnect:
            pass
        finally:
            hub.drop(self.client)
            for task in tasks:
                task.cancel()
            self.gone()

    async def open(self) -> None:
        """Subscribe, then send a snapshot or what was missed since ``since``: every event after
        what is sent here reaches the queue, so nothing is missed and nothing comes twice."""
        since = self.since()
        cut = self.hub.subscribe(self.client)
        if since is not None:
            replay = await self.hub.run(self.missed, since, cut)
            if replay is not None:
                await self.websocket.send_text(frame("resumed", since=since))
                if replay:
                    await self.websocket.send_text(f'{{"type":"events","events":[{replay}]}}')
                self.client.after = max(since, cut)
                return
        position, state = await self.hub.run(take, self.hub.podium, self.room, self.actor)
        self.client.after = position
        await self.websocket.send_text(frame("snapshot", position=position, state=state))

    def since(self) -> int | None:
        raw = self.websocket.query_params.get("since")
        if raw is None:
            return None
        if not raw.isdigit():
            return -1  # not a position: a fresh snapshot
        return int(raw)

    def missed(self, since: int, cut: int) -> str | None:
        """The events of this room after ``since`` up to ``cut`` as this client sees them; None
        when they cannot be replayed (too many, or ``since`` is no position of this log)."""
        podium = self.hub.podium
        if since < 0 or since > (podium.store.recorder.max_notification_id() or 0):
            return None
        feed = podium.views.room_feed
        if feed.count_after(str(self.room), since, cut) > self.settings.ws_resume_events:
            return None
        everyone, presenters = batches(feed.between([str(self.room)], since, cut))
        batch = presenters if self.client.presents else everyone
        return batch.text if batch is not None else ""

    async def write(self) -> None:
        """The only sender on this socket: everything queued, events joined into one frame."""
        client, websocket = self.client, self.websocket
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            while True:
                items = [await client.queue.get()]
                while not client.queue.empty():
                    items.append(client.queue.get_nowait())
                events: list[str] = []
                for item in items:
                    if isinstance(item, Batch):
                        part = item.past(client.after)
                        if part:
                            events.append(part)
                        client.after = max(client.after, item.last)
                        continue
                    if events:
                        await websocket.send_text(events_frame(events))
                        events = []
                    if item is RESYNC:
                        await websocket.send_text(frame("resync", since=client.after))
                        await websocket.close(code=RESYNC_CLOSE, reason="resync")
                        return
                    await websocket.send_text(item)
                if events:
                    await websocket.send_text(events_frame(events))

    async def ping(self) -> None:
        while True:
            await asyncio.sleep(self.settings.ws_ping_interval)
            self.hub.offer(self.client, PING)

    async def read(self) -> None:
        """Frames from the client until it goes, or falls silent past the limit."""
        while True:
            try:
                message = await asyncio.wait_for(
                    self.websocket.receive(), self.settings.ws_silence_limit
                )
            except TimeoutError:
                with contextlib.suppress(RuntimeError, OSError):
                    await self.websocket.close(code=SILENT_CLOSE, reason="silent too long")
                return
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None and message.get("bytes") is not None:
                text = message["bytes"].decode("utf-8", errors="replace")
            answer = await handle(self.hub, self.room, self.credential, text or "")
            if answer is not None:
                self.hub.offer(self.client, answer)

    def gone(self) -> None:
        """This socket is closed: once the person's last one is, they leave after the grace."""
        hub = self.hub
        left = hub.sockets.get(self.person, 1) - 1
        if left > 0:
            hub.sockets[self.person] = left
            return
        hub.sockets.pop(self.person, None)
        hub.leaving[self.person] = hub.loop.create_task(self.leave_after_grace())

    async def leave_after_grace(self) -> None:
        await asyncio.sleep(self.settings.ws_leave_grace)
        if self.hub.sockets.get(self.person):
            return
        self.hub.leaving.pop(self.person, None)
        try:
            await self.hub.run(self.hub.podium.live.leave, self.room, self.credential)
        except Exception:
            log.exception("could not record that %s left room %s", self.person[2], self.room)
        try:  # gone from the room: their audio and video go too (decision 0024)
            await self.hub.run(self.hub.podium.media.gone, self.room, *self.person[1:])
        except Exception:
            log.exception("could not hang up %s's media in room %s", self.person[2], self.room)


def events_frame(parts: list[str]) -> str:
    return '{"type":"events","events":[' + ",".join(parts) + "]}"
