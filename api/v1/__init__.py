"""The ClickMeeting-compatible API v1, mounted at /v1/.

A client written for ClickMeeting works with only its base URL changed: same paths, the same
form-encoded (or JSON, or query-string) parameters, the same field names and shapes, status
codes and error bodies (``../shared/reference/clickmeeting-api-v1.md``). The layers:

``wire``     URL quirks (format suffix, suffix after the query string, trailing slashes)
``params``   every parameter encoding as one nested dict; ``fields`` reads it typed
``formats``  JSON, XML, JS and print_r answers     ``errors``   ClickMeeting's error body
``objects``  room, token and registration objects  ``room_params``  create/update parameters
routes: ``conferences``, ``access``, ``reference`` (and contacts), ``sessions`` (and
``chats``: the attendance reports), ``later`` (501 for now)
``openapi``  the wire format as an OpenAPI document, at ``/v1/openapi.json``
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from api.middleware.auth_first import AuthenticateFirst, v1_key
from api.v1 import access, chats, conferences, errors, later, openapi, reference, sessions
from api.v1.deps import v1_principal
from api.v1.wire import WireFormat
from podium.bootstrap import Podium


def create_v1_app(podium: Podium) -> FastAPI:
    """The /v1/ application: its own error handlers and URL normalising, the same Podium."""
    app = FastAPI(
        title="Podium ClickMeeting-compatible API v1",
        openapi_url=None,  # FastAPI's view of raw-parameter routes says nothing; see below
        docs_url=None,
        redoc_url=None,
        redirect_slashes=False,
    )
    app.state.podium = podium
    for module in (reference, conferences, access, sessions, chats, later):
        app.include_router(module.router)

    # ``/openapi.json`` arrives here as ``/openapi``: WireFormat takes the suffix off.
    @app.get("/openapi", include_in_schema=False)
    def wire_document() -> JSONResponse:
        """The /v1/ wire format as OpenAPI (no key needed: it is documentation)."""
        return JSONResponse(openapi.document())

    # Inside WireFormat, which rewrites the scope: there the route is known (api.middleware).
    app.add_middleware(AuthenticateFirst, podium=podium, marker=v1_principal, find_key=v1_key)
    app.add_middleware(WireFormat)
    errors.install(app)  # last: its LastResort middleware wraps everything, WireFormat too
    return app
