"""Every request gets an id, and no exception leaves without an answer.

``LastResort`` is pure ASGI middleware, the outermost of an application's own. It gives each
request an id (a sane incoming ``X-Request-Id``, else a new one), keeps it in the ASGI scope,
sends it back in the ``X-Request-Id`` header of every answer, and logs each error answer with
it. An exception nothing else handled is logged with its traceback and the id, and answered by
``render`` (the panel's problem+json, /v1's ClickMeeting error body, both quoting the id)
instead of a ``text/plain`` 500.

The /v1 application is mounted inside the panel's; both install it, and the inner one reuses the
id the outer one gave, so one request has one id in the header, the body and the log.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from podium.logs import REQUEST_ID

log = logging.getLogger("podium.requests")

HEADER = "X-Request-Id"
SCOPE_KEY = "podium.request_id"
# What a proxy or client may send us: short, printable, nothing a log line could be forged with.
_SANE = re.compile(r"^[A-Za-z0-9._~:+/=-]{1,128}$")


def request_id_of(scope: Scope) -> str:
    """The request's id: the one already given, a sane ``X-Request-Id``, or a new one."""
    known = scope.get(SCOPE_KEY)
    if isinstance(known, str):
        return known
    sent = next((v for k, v in scope.get("headers", ()) if k.lower() == b"x-request-id"), b"")
    text = sent.decode("latin-1").strip()
    request_id = text if _SANE.match(text) else uuid.uuid4().hex
    scope[SCOPE_KEY] = request_id
    return request_id


Render = Callable[[Scope, str], Response]  # the request's scope and id -> the 500 answer


class LastResort:
    """ASGI middleware: request ids on every answer, and a ``render``-ed 500 for the unhandled."""

    def __init__(self, app: ASGIApp, render: Render) -> None:
        self.app = app
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        token = REQUEST_ID.set(request_id)  # every log record of this request names it
        try:
            await self._answer(scope, receive, send, request_id)
        finally:
            REQUEST_ID.reset(token)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        started = False

        async def tagged(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                if not any(k.lower() == b"x-request-id" for k, _ in headers):
                    headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
                status = int(message["status"])
                if 400 <= status < 500:
                    log.info(
                        "%s %s answered %d request_id=%s",
                        scope["method"],
                        scope["path"],
                        status,
                        request_id,
                    )
            await send(message)

        try:
            await self.app(scope, receive, tagged)
        except Exception:
            log.exception(
                "unhandled error in %s %s request_id=%s", scope["method"], scope["path"], request_id
            )
            if started:
                raise  # half an answer is out; only the server can end the connection now
            await self.render(scope, request_id)(scope, receive, tagged)
