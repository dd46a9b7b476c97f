"""Errors the ClickMeeting way: ``{"code": 422, "name": "...", "errors": [{"name", "message"}]}``.

Every error under /v1/ has this body and ``Content-Type: application/json`` (not problem+json,
which a client checking for ``application/json`` would refuse), whatever format was asked for.
Status codes stay within the set ClickMeeting clients know (400, 401, 403, 404, 422, 500, 501):

400 V1Error: malformed parameters or body       401 AuthenticationError, missing key
403 PermissionDeniedError                       404 NotFoundError, unknown path or room
422 InvalidRequestError, RuleViolationError (and LimitExceededError), PaymentRequiredError:
    the request was understood but cannot be done; ``errors[].name`` names the field if known
500 ConflictError (still busy after retries; try again) and anything unexpected (answered by
    ``api.last_resort.LastResort``, logged with the request id the message quotes)
501 what the live room brings later (sessions, attendees, chats, recordings, files)
405 carries ``Allow``, every answer ``X-Request-Id``.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from api.errors import allowed_methods
from api.last_resort import LastResort
from commands.errors import AuthenticationError, ConflictError, PermissionDeniedError
from domain.errors import DomainError, NotFoundError


class V1Error(Exception):
    """An error answered in ClickMeeting's shape; ``field`` is the parameter at fault."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def error_body(status: int, message: str, field: str | None = None) -> dict[str, Any]:
    return {
        "code": status,
        "name": HTTPStatus(status).phrase,
        "errors": [{"name": field, "message": message}],
    }


def error_response(status: int, message: str, field: str | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
    return JSONResponse(error_body(status, message, field), status_code=status, headers=headers)


def internal_error(scope: Scope, request_id: str) -> JSONResponse:
    """The last resort's answer, in ClickMeeting's shape (which has no place for an id but the
    message)."""
    message = f"something went wrong on our side; please try again (request id {request_id})"
    return error_response(500, message)


def status_of(error: DomainError) -> int:
    """A domain refusal as the status ClickMeeting would give it."""
    for kind, status in (
        (AuthenticationError, 401),
        (PermissionDeniedError, 403),
        (NotFoundError, 404),
        (ConflictError, 500),
    ):
        if isinstance(error, kind):
            return status
    return 422


def _field(location: tuple[Any, ...]) -> str | None:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header")]
    return parts[0] + "".join(f"[{p}]" for p in parts[1:]) if parts else None


def install(app: FastAPI) -> None:
    """Register the handlers that give every /v1/ error ClickMeeting's body."""

    @app.exception_handler(V1Error)
    async def v1_error(request: Request, error: V1Error) -> JSONResponse:
        return error_response(error.status, error.message, error.field)

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        return error_response(status_of(error), str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid request"}
        return error_response(422, str(first["msg"]), _field(tuple(first["loc"])))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        message = str(error.detail)
        if error.status_code == 404:
            message = f"no such API endpoint: {request.method} {request.url.path}"
        response = error_response(error.status_code, message)
        if error.headers:
            response.headers.update(error.headers)
        if error.status_code == 405:
            response.headers["Allow"] = allowed_methods(request)
        return response

    app.add_middleware(LastResort, render=internal_error)
