"""Errors as application/problem+json (RFC 9457), with a message a person understands.

401 AuthenticationError      403 PermissionDeniedError, AccessRefusedError (a join refused)
404 NotFoundError
409 RuleViolationError, LimitExceededError, ConflictError  402 PaymentRequiredError
422 InvalidRequestError and request validation failures
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from commands.errors import AuthenticationError, ConflictError, PermissionDeniedError
from commands.payments import PaymentRequiredError
from domain.access import AccessRefusedError
from domain.errors import DomainError, InvalidRequestError, NotFoundError, RuleViolationError

PROBLEM = "application/problem+json"
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
}


def problem(status: int, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status}
    body |= {"detail": detail, **extra}
    headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def status_of(error: DomainError) -> int:
    for kind, status in (
        (AuthenticationError, 401),
        (PermissionDeniedError, 403),
        (NotFoundError, 404),
        (PaymentRequiredError, 402),
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


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into problem+json."""

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError) -> JSONResponse:
        return problem(status_of(error), str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(tuple(e["loc"])) or "body", "message": e["msg"]}
            for e in error.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return problem(error.status_code, str(error.detail))
