"""503 with Retry-After while the store is unreachable, never a 500 with a traceback (0032).

While ``podium.watch`` says PostgreSQL is down, requests (but the liveness and metrics ones)
are answered at once without touching the store. A request that meets the outage first (an
exception ``podium.outage.unavailable`` recognises) is answered the same way, and wakes the
watch. Either answer says to try again in ``RETRY_AFTER_SECONDS``.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem
from podium.bootstrap import Podium
from podium.outage import RETRY_AFTER_SECONDS, unavailable

log = logging.getLogger("podium.requests")
EXEMPT = ("/health", "/metrics")  # liveness and metrics answer without the store
DETAIL = (
    "Podium cannot reach its database right now; try again in a few seconds "
    "(an Idempotency-Key makes the retry safe)"
)


class StoreOutage:
    """ASGI middleware: the outage answer, from the watch or from the exception."""

    def __init__(self, app: ASGIApp, podium: Podium) -> None:
        self.app = app
        self.podium = podium

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        watch = self.podium.watch
        if watch is not None and watch.down and scope["path"] not in EXEMPT:
            await self._unavailable(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as error:
            if started or not unavailable(error):
                raise
            if watch is not None:
                watch.suspect()
            reason = " ".join(str(error).split())[:200]
            log.warning("%s %s: store unavailable (%s)", scope["method"], scope["path"], reason)
            await self._unavailable(scope, receive, send)

    async def _unavailable(self, scope: Scope, receive: Receive, send: Send) -> None:
        answer = problem(503, DETAIL, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        await answer(scope, receive, send)
