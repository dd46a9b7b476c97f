"""The room gateway: ``/ws/rooms/{room_id}`` (decision 0020; see ``api.gateway.socket``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.gateway.socket import router

__all__ = ["lifespan", "router"]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Stop the app's hub (its follower, LISTEN thread and threads) when the app stops."""
    yield
    hub = getattr(app.state, "room_hub", None)
    if hub is not None:
        await hub.stop()
