"""Authentication before the body: on a route that needs an API key, the key is checked when
the route first asks for the body, so a caller without a valid key is answered 401 without a
byte of the body being read (FastAPI reads and parses a body before it solves dependencies).

A route needs a key when its dependencies include the API's principal dependency
(``api.deps.current_principal``; ``api.v1.deps.v1_principal`` under /v1/). The principal found
is left in the scope under ``PRINCIPAL_KEY``, and the dependency takes it from there instead of
authenticating twice. Under /v1/ a key may also come as a parameter, in the body too
(``api_key``, as old clients send it): without an ``X-Api-Key`` header the body is read first,
within its size limit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import PRINCIPAL_KEY
from commands.errors import AuthenticationError
from podium.bootstrap import Podium

log = logging.getLogger(__name__)
# The key a request presents, from its headers and query string; None: none presented (401);
# ELSEWHERE: it may be in the body, so the body must be read first.
ELSEWHERE = "elsewhere"
KeyFinder = Callable[[Headers, bytes], str | None]


def panel_key(headers: Headers, query: bytes) -> str | None:
    """``X-Api-Key`` or ``Authorization: Bearer``, as ``api.deps.current_principal`` reads it."""
    key = headers.get("x-api-key")
    authorization = headers.get("authorization") or ""
    if key is None and authorization.lower().startswith("bearer "):
        key = authorization[7:].strip()
    return key or None


def v1_key(headers: Headers, query: bytes) -> str | None:
    """``X-Api-Key``, which wins over any other (``api.v1.deps.v1_principal``); without it the
    key is a parameter, perhaps in the body."""
    return (headers.get("x-api-key") or "").strip() or ELSEWHERE


def _needs(dependant: Dependant, marker: Callable[..., Any]) -> bool:
    return any(sub.call is marker or _needs(sub, marker) for sub in dependant.dependencies)


class AuthenticateFirst:
    """ASGI middleware: a route's API key is checked before its body is read."""

    def __init__(
        self, app: ASGIApp, podium: Podium, marker: Callable[..., Any], find_key: KeyFinder
    ) -> None:
        self.app = app
        self.podium = podium
        self.marker = marker
        self.find_key = find_key
        self._needs: dict[int, bool] = {}  # by id(route): routes live as long as the app

    def _route_needs_key(self, scope: Scope) -> bool:
        route = scope.get("route")
        if not isinstance(route, APIRoute):
            return False
        if id(route) not in self._needs:
            self._needs[id(route)] = _needs(route.dependant, self.marker)
        return self._needs[id(route)]

    async def _authenticate(self, scope: Scope) -> None:
        key = self.find_key(Headers(scope=scope), scope.get("query_string", b""))
        if key == ELSEWHERE:
            return
        if key is None:
            raise _unauthenticated("send your API key in the X-Api-Key header")
        try:
            principal = await run_in_threadpool(self.podium.accounts.authenticate, key)
        except AuthenticationError as error:
            raise _unauthenticated(str(error)) from None
        except Exception:
            # Not a refusal (the store is down, say): raised from here, FastAPI's body reading
            # would call it a malformed body (400). The route's dependency authenticates again
            # and its error is answered as what it is.
            log.warning("authenticating before the body failed; the route will", exc_info=True)
            return
        scope[PRINCIPAL_KEY] = principal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        checked = False

        async def receive_after_authentication() -> Message:
            nonlocal checked
            if not checked:
                checked = True
                if self._route_needs_key(scope):
                    await self._authenticate(scope)
            return await receive()

        await self.app(scope, receive_after_authentication, send)


def _unauthenticated(detail: str) -> HTTPException:
    # An HTTPException, so FastAPI's body reading lets it through to the API's error handlers.
    return HTTPException(401, detail, headers={"WWW-Authenticate": "ApiKey"})
