"""``podium media``: the SFU and its reconciler as a process of their own (decision 0024).

A small internal HTTP endpoint the API's ``RemoteMediaPlane`` posts signalling to, each call
carrying the shared secret in ``Podium-Media-Secret`` (compared in constant time):
``POST /negotiate {peer, sdp} -> {sdp}``, ``POST /candidate {peer, candidate}``,
``POST /hang_up {peer}``, ``GET /health``. The SFU runs on the server's own loop, so a call
awaits it directly. The process follows the log itself (the reconciler: LISTEN/NOTIFY on
PostgreSQL, polling on SQLite); the API tells it nothing but signalling.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from commands.live.media import Peer
from domain.errors import RuleViolationError
from media.plane import SECRET_HEADER, SfuFactory, default_sfu, peer_of, refusal
from media.reconciler import Reconciler, SfuPort
from podium.bootstrap import Podium

# One signalling call on the SFU for a peer, given the request's body: its JSON answer.
Call = Callable[[SfuPort, Peer, dict[str, Any]], Awaitable[dict[str, Any]]]


def create_media_app(podium: Podium, sfu_factory: SfuFactory = default_sfu) -> FastAPI:
    """The media process's app: the SFU and reconciler start and stop with it."""
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        import asyncio

        sfu = sfu_factory(podium.settings)
        reconciler = Reconciler(podium, sfu, asyncio.get_running_loop())
        await reconciler.start()
        state.update(sfu=sfu, reconciler=reconciler)
        app.state.reconciler = reconciler
        try:
            yield
        finally:
            await reconciler.stop()
            close = getattr(sfu, "close", None)
            if close is not None:
                await close()

    app = FastAPI(title="Podium media plane", docs_url=None, redoc_url=None, lifespan=lifespan)
    secret = podium.settings.media_secret.encode()

    def problem(status: int, detail: str) -> JSONResponse:
        return JSONResponse({"status": status, "detail": detail}, status_code=status)

    def refused(error: Exception) -> JSONResponse:
        """The SFU's refusal as the API will say it (409: the session ended; 400: the
        caller's SDP, candidate or peer); anything else is a bug and raised."""
        if isinstance(error, KeyError | TypeError):
            return problem(400, f"not a peer: {error}")
        found = refusal(error)
        if found is None:
            raise error
        return problem(409 if isinstance(found, RuleViolationError) else 400, str(found))

    async def signalled(request: Request, call: Call) -> JSONResponse:
        """Check the shared secret and the body, then ``call`` the SFU for the body's peer:
        its answer, or its refusal as the API will say it."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not secret or not hmac.compare_digest(given, secret):
            return problem(401, f"send the shared secret in {SECRET_HEADER}")
        try:
            body = await request.json()
        except ValueError:
            return problem(400, "the body must be JSON")
        if not isinstance(body, dict) or not isinstance(body.get("peer"), dict):
            return problem(400, 'the body must be {"peer": {...}, ...}')
        try:
            return JSONResponse(await call(state["sfu"], peer_of(body["peer"]), body))
        except Exception as error:
            return refused(error)

    @app.get("/health")
    def health() -> dict[str, Any]:
        reconciler: Reconciler = state["reconciler"]
        return {"sessions": len(reconciler.sessions), "position": reconciler.last}

    async def answer(sfu: SfuPort, peer: Peer, body: dict[str, Any]) -> dict[str, Any]:
        return {"sdp": await sfu.negotiate(peer, str(body.get("sdp", "")))}

    async def add_candidate(sfu: SfuPort, peer: Peer, body: dict[str, Any]) -> dict[str, Any]:
        await sfu.add_candidate(peer, body.get("candidate"))
        return {}

    async def close(sfu: SfuPort, peer: Peer, body: dict[str, Any]) -> dict[str, Any]:
        await sfu.hang_up(peer)
        return {}

    @app.post("/negotiate")
    async def negotiate(request: Request) -> JSONResponse:
        return await signalled(request, answer)

    @app.post("/candidate")
    async def candidate(request: Request) -> JSONResponse:
        return await signalled(request, add_candidate)

    @app.post("/hang_up")
    async def hang_up(request: Request) -> JSONResponse:
        return await signalled(request, close)

    return app
