"""The FastAPI application, built around a Podium container."""

from __future__ import annotations

from fastapi import FastAPI

from api import contract, docs, errors, gateway, middleware, throttle
from api.middleware.metrics import RequestMetrics
from api.routes import router
from api.v1 import create_v1_app
from podium.bootstrap import Podium

DESCRIPTION = """Podium: an event-sourced webinar platform backend.

Authenticate with `X-Api-Key` (or `Authorization: Bearer`). Errors are
`application/problem+json`. POSTs that create something or move money honour an
`Idempotency-Key` header: a retry returns the first answer and changes nothing.
"""


def create_app(podium: Podium) -> FastAPI:
    # The documentation pages are served by api.docs, each with its own security policy.
    app = FastAPI(
        title="Podium",
        version="0.1.0",
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=gateway.lifespan,
    )
    app.state.podium = podium
    errors.install(app)
    throttle.install(app)
    contract.install(app)
    app.mount("/v1", create_v1_app(podium))  # first: no panel route may catch /v1/ paths
    app.include_router(router)
    app.include_router(gateway.router)  # /ws/rooms/{room_id}: the live room's socket
    docs.install(app)
    middleware.install(app, podium)
    errors.install_last_resort(app)  # last, so outermost: see api.last_resort
    app.add_middleware(RequestMetrics, metrics=podium.metrics)  # sees the final status
    return app
