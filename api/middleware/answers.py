"""The refusals middleware answers itself, in the shape of the API the path belongs to:
problem+json on the panel API, ClickMeeting's error body under /v1/."""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import Scope

from api.errors import problem
from api.v1.errors import error_response

V1_PREFIX = "/v1"


def is_v1(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    return path == V1_PREFIX or path.startswith(V1_PREFIX + "/")


def refusal(scope: Scope, status: int, detail: str) -> Response:
    """An error answer for ``scope``'s API, with ``detail`` as its message."""
    if is_v1(scope):
        return error_response(status, detail)
    return problem(status, detail)
