"""The room gateway: ``/ws/rooms/{room_id}`` (decision 0020; see ``api.gateway.socket``), and a
past session's playback (decision 0029; ``api.gateway.playback``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from api.gateway import playback, socket

router = APIRouter()
router.include_router(socket.router)
router.include_router(playback.router)

__all__ = ["lifespan", "router"]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Stop the app's hub (its follower, LISTEN thread and threads) when the app stops."""
    yield
    hub = getattr(app.state, "room_hub", None)
    if hub is not None:
        await hub.stop()
