"""The FastAPI application, built around a Podium container."""

from __future__ import annotations

from fastapi import FastAPI

from api import errors, throttle
from api.routes import router
from api.v1 import create_v1_app
from podium.bootstrap import Podium

DESCRIPTION = """Podium: an event-sourced webinar platform backend.

Authenticate with `X-Api-Key` (or `Authorization: Bearer`). Errors are
`application/problem+json`. POSTs that create something or move money honour an
`Idempotency-Key` header: a retry returns the first answer and changes nothing.
"""


def create_app(podium: Podium) -> FastAPI:
    app = FastAPI(title="Podium", version="0.1.0", description=DESCRIPTION)
    app.state.podium = podium
    errors.install(app)
    throttle.install(app)
    app.mount("/v1", create_v1_app(podium))  # first: no panel route may catch /v1/ paths
    app.include_router(router)
    return app
