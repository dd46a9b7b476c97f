"""Request bodies of bounded size, counted as they stream in (413 past the limit).

Each route reads at most ``Settings.max_body_bytes`` (1 MB) unless its endpoint declares its own
limit with ``@max_body(n)`` (uploads will). A Content-Length over the limit is refused before a
byte is read; a lying or absent one cannot bypass the limit, because the bytes themselves are
counted and reading stops at the first one too many.

The limit is raised from ``receive`` as a 413 ``HTTPException``, which the route's error
handlers render, and whatever the application answers after that (a parser that catches every
error and says 400, say) is replaced by this middleware's own 413. Starlette's
``RequestBodyLimitMiddleware`` does the counting too, but answers text/plain and replaces an
earlier 401 with its 413 when the declared length is too big (decision 0008).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.middleware.answers import refusal

F = TypeVar("F", bound=Callable[..., object])
_LIMIT_ATTRIBUTE = "_podium_max_body"


def max_body(limit: int) -> Callable[[F], F]:
    """Give one route its own body limit in bytes (put it under the route decorator)."""

    def mark(endpoint: F) -> F:
        setattr(endpoint, _LIMIT_ATTRIBUTE, limit)
        return endpoint

    return mark


class BodyTooLargeError(HTTPException):
    """The body passed the route's limit (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413, f"the request body is too large: this endpoint accepts at most {limit:,} bytes"
        )


def _declared_length(scope: Scope) -> int | None:
    try:
        return int(Headers(scope=scope).get("content-length", ""))
    except ValueError:
        return None


class BodyLimit:
    """ASGI middleware: no request body past its route's limit is read."""

    def __init__(self, app: ASGIApp, default: int) -> None:
        self.app = app
        self.default = default

    def _limit_for(self, scope: Scope) -> int:
        # Read at the first receive, when routing has put the endpoint in the scope.
        limit = getattr(scope.get("endpoint"), _LIMIT_ATTRIBUTE, self.default)
        return int(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit: int | None = None
        received = 0
        refused: BodyTooLargeError | None = None
        started = answered = False

        async def counted_receive() -> Message:
            nonlocal limit, received, refused
            if refused is not None:
                raise refused
            if limit is None:
                limit = self._limit_for(scope)
                declared = _declared_length(scope)
                if declared is not None and declared > limit:
                    refused = BodyTooLargeError(limit)
                    raise refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = BodyTooLargeError(limit)
                    raise refused
            return message

        async def answer() -> None:
            nonlocal answered
            assert refused is not None
            answered = True
            await refusal(scope, 413, str(refused.detail))(scope, receive, send)

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused is None or started:
                started = started or message["type"] == "http.response.start"
                await send(message)
            elif message["type"] == "http.response.start" and not answered:
                await answer()
            # Otherwise: the application's own answer to a refused body goes nowhere.

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLargeError:
            if started or answered:
                raise
            await answer()
