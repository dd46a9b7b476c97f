"""What a participant sends over the socket: ``{"action": name, "ref": any, ...fields}``.

The action is looked up in ``api.routes.live.ACTIONS``, its fields validated with the same
model its REST route takes, and it runs in the gateway's threads as the socket's holder, with
the REST route's rules: the answer frame carries the REST answer's status and body, or the
same error (status, title, detail; ``errors`` per field for a 422). ``ref`` is echoed so a
client can match answers to frames. A frame that is not JSON, not an object, or names no known
action gets an error frame saying so; the socket stays open. ``{"action": "pong"}`` (the answer
to the server's ping) gets no answer; ``{"action": "ping"}`` gets ``{"type": "pong"}``.
"""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

import orjson
from pydantic import BaseModel, ValidationError

from api.consistency import Settled, settle
from api.errors import TITLES, status_of
from api.outcomes import PROBLEM_SHAPE
from api.routes.live import ACTIONS
from api.routes.live.actions import SocketAction
from domain.errors import DomainError
from podium.bootstrap import Podium

log = logging.getLogger(__name__)
QUIET = "pong"  # the client's answer to a ping: it only proves the socket is alive


def error(status: int, detail: str, **extra: Any) -> str:
    """An error frame: the REST problem's status, title and detail (a shape's own title wins)."""
    body = {"type": "error", "status": status, "title": TITLES.get(status, "Error"), **extra}
    return orjson.dumps({**body, "detail": detail}).decode()


def _problems(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(part) for part in e["loc"]) or "frame", "message": e["msg"]}
        for e in error.errors()
    ]


def _run(
    podium: Podium, action: SocketAction, credential: str, room: UUID, body: BaseModel
) -> Settled:
    """The action as its REST route runs it, answered once the read models show it."""
    return settle(podium, action.run(podium, credential, room, body))


async def handle(hub: Any, room: UUID, credential: str, text: str) -> str | None:
    """The answer frame to one frame from the client (None: nothing to answer)."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as bad:
        return error(400, f"a frame must be valid JSON: {bad}")
    if not isinstance(data, dict):
        return error(400, 'a frame must be a JSON object: {"action": "<name>", ...}')
    name, ref = data.pop("action", None), data.pop("ref", None)
    echo = {"action": name, "ref": ref} if ref is not None else {"action": name}
    if name == QUIET:
        return None
    if name == "ping":
        return orjson.dumps({"type": "pong", **({"ref": ref} if ref is not None else {})}).decode()
    if not isinstance(name, str) or not name:
        return error(400, 'a frame needs "action": the name of what to do', **echo)
    action = ACTIONS.get(name)
    if action is None:
        known = ", ".join(sorted(ACTIONS)) or "none yet"
        return error(400, f"unknown action {name!r}; the actions are: {known}", **echo)
    try:
        body = action.body.model_validate(data)
    except ValidationError as invalid:
        problems = _problems(invalid)
        detail = "; ".join(f"{p['field']}: {p['message']}" for p in problems)
        return error(422, detail, errors=problems, **echo)
    try:
        settled = await hub.run(_run, hub.podium, action, credential, room, body)
    except DomainError as refused:
        return error(status_of(refused), str(refused), **echo)
    except Exception:
        log.exception("socket action %s failed", name)
        return error(500, "something went wrong on our side", **echo)
    result = settled.result
    if settled.refused:
        body_out = PROBLEM_SHAPE.get(result.outcome, {}) | dict(result.body)
        return error(settled.status, str(body_out.pop("detail", "")), **body_out, **echo)
    answer = {"type": "answer", **echo, "status": settled.status, "body": result.body}
    return orjson.dumps(answer).decode()
