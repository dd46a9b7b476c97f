"""Errors as application/problem+json (RFC 9457), with a message a person understands.

401 AuthenticationError      403 PermissionDeniedError, AccessRefusedError (a join refused)
404 NotFoundError
409 RuleViolationError, LimitExceededError, ConflictError  402 PaymentRequiredError
422 InvalidRequestError and request validation failures
405 a method the path does not have (with ``Allow``)   500 anything unexpected (``LastResort``)

Every body is a ``Problem``; every answer's ``X-Request-Id`` names the request in the log too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Scope

from api.last_resort import LastResort
from commands.errors import AuthenticationError, ConflictError, PermissionDeniedError
from commands.live.media import BadOfferError, MediaUnavailableError
from commands.payments import PaymentRequiredError
from domain.access import AccessRefusedError
from domain.errors import DomainError, InvalidRequestError, NotFoundError, RuleViolationError

PROBLEM = "application/problem+json"
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    402: "Payment required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    422: "Invalid request",
    429: "Too many requests",
    500: "Internal error",
    503: "Not ready",
}


class FieldProblem(BaseModel):
    """One field at fault in a 422."""

    field: str
    message: str


class Problem(BaseModel):
    """An error answer (RFC 9457 problem details), served as ``application/problem+json``."""

    type: str = Field(examples=["about:blank"])
    title: str = Field(examples=["Not found"])
    status: int = Field(ge=400, le=599)
    detail: str = Field(examples=["room not found"])
    request_id: str | None = Field(
        None, description="on a 500: the request's id, also in X-Request-Id and the log"
    )
    errors: list[FieldProblem] | None = Field(None, description="422: each field at fault")


F = TypeVar("F", bound=Callable[..., Any])


def answers(*statuses: int) -> Callable[[F], F]:
    """Mark a dependency with the error statuses it raises, so every route that depends on it
    documents them (``api.contract``): ``@answers(403)`` on a role check."""

    def mark(function: F) -> F:
        function.__dict__.setdefault("podium_statuses", set()).update(statuses)
        return function

    return mark


def problem(
    status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """A problem+json answer (its request's id goes in the X-Request-Id header, not here: a
    replayed answer must equal the first)."""
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status}
    body |= {"detail": detail, **extra}
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "ApiKey"
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers or None)


def internal_error(scope: Scope, request_id: str) -> Response:
    """The last resort's answer: nothing about the cause, only the id to quote to support
    (in ClickMeeting's shape for a /v1/ path the panel's middleware failed on)."""
    if is_v1_path(str(scope.get("path", ""))):
        from api.v1.errors import internal_error as v1_internal_error  # v1 imports this module

        return v1_internal_error(scope, request_id)
    detail = f"something went wrong on our side; quote request id {request_id} to support"
    return problem(500, detail, request_id=request_id)


def is_v1_path(path: str) -> bool:
    return path == "/v1" or path.startswith("/v1/")


def allowed_methods(request: Request) -> str:
    """Every method some route of this path takes (Starlette names only the first route's).

    Asked route by route, method by method: FastAPI nests included routers, so a flat list of
    routes is not at hand, but each top-level route still answers whether it fully matches."""
    allowed = []
    for method in METHODS:
        probe = {**request.scope, "method": method}
        if any(route.matches(probe)[0] == Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return ", ".join(allowed)


def status_of(error: DomainError) -> int:
    for kind, status in (
        (AuthenticationError, 401),
        (PermissionDeniedError, 403),
        (NotFoundError, 404),
        (PaymentRequiredError, 402),
        (BadOfferError, 400),
        (MediaUnavailableError, 503),
        (InvalidRequestError, 422),
        (AccessRefusedError, 403),
        (RuleViolationError, 409),
        (ConflictError, 409),
    ):
        if isinstance(error, kind):
            return status
    return 400


def _field(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location if part not in ("body", "query", "path"))


def _field_problem(error: Any) -> dict[str, str]:
    """One validation error as {field, message}; a body that is not JSON names the body (its
    location is a character offset, which means nothing to a person)."""
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        return {"field": "body", "message": f"is not valid JSON ({reason})".replace(" ()", "")}
    return {"field": _field(tuple(error["loc"])) or "body", "message": error["msg"]}


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        return problem(status_of(error), str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [_field_problem(e) for e in error.errors()]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        headers = dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return problem(error.status_code, str(error.detail), headers=headers)


def install_last_resort(app: FastAPI) -> None:
    """The outermost middleware: call it after every other ``add_middleware``, so what those
    answer gets a request id too and what they raise is answered as a problem."""
    app.add_middleware(LastResort, render=internal_error)
