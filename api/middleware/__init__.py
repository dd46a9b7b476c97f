"""ASGI middleware around both APIs: bounded bodies, authentication before the body, and
security headers. ``install`` puts them on the panel app (they see /v1/ requests too, which the
panel mounts); the /v1/ app adds its own ``AuthenticateFirst`` under its URL rewriting.

Order, outermost first: ``SecurityHeaders`` (so every answer, refusals included, carries
them), ``BodyLimit``, then the application; ``AuthenticateFirst`` sits inside each app, where
routing has named the route, and checks the key before ``BodyLimit`` sees the first byte.
"""

from __future__ import annotations

from fastapi import FastAPI

from api.deps import current_principal
from api.middleware.auth_first import AuthenticateFirst, panel_key
from api.middleware.body_limit import BodyLimit
from api.middleware.headers import SecurityHeaders
from api.middleware.outage import StoreOutage
from podium.bootstrap import Podium


def install(app: FastAPI, podium: Podium) -> None:
    """The panel app's middleware."""
    settings = podium.settings
    # add_middleware puts each one outside those added before it.
    app.add_middleware(
        AuthenticateFirst, podium=podium, marker=current_principal, find_key=panel_key
    )
    app.add_middleware(BodyLimit, default=settings.max_body_bytes)
    app.add_middleware(StoreOutage, podium=podium)  # inside the headers: a 503 carries them
    app.add_middleware(SecurityHeaders, https=settings.behind_https)
