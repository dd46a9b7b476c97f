"""Rate limits on the doors anyone can knock on: log-in, password reset, sign-up, registration
and joining a room. Each is a dependency a route lists (``dependencies=[LOG_IN]``).

``attempts(action)`` counts every request per client address and per the email in its body;
``JOIN_REFUSALS`` counts only refused joins (a wrong password or token, say), per address and
per room, so a thousand people joining with the right password are never slowed. Over a limit
the answer is 429 problem+json with ``Retry-After``. The client address is the ASGI client's:
behind a proxy, run uvicorn with ``--proxy-headers --forwarded-allow-ips`` so it is the
caller's, not the proxy's (decision 0008).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import PodiumDep
from api.errors import problem
from domain.access import WrongSecretError
from podium.throttle import RateLimiter


class RateLimitedError(Exception):
    """Too many attempts: answered 429 with the seconds to wait."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry_after = retry_after


def install(app: FastAPI) -> None:
    """Answer a ``RateLimitedError`` as 429 problem+json with ``Retry-After``."""

    @app.exception_handler(RateLimitedError)
    async def rate_limited(request: Request, error: RateLimitedError) -> JSONResponse:
        response = problem(429, error.detail, retry_after=error.retry_after)
        response.headers["Retry-After"] = str(error.retry_after)
        return response


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _wait_text(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    minutes = -(-seconds // 60)
    return f"{minutes} minutes" if minutes < 120 else f"{-(-minutes // 60)} hours"


async def _refuse_if_over(limiter: RateLimiter, checks: list[tuple[str, str, str]]) -> None:
    """429 if any (limit, key) is used up, counting nothing; ``what`` says which."""
    for limit, key, what in checks:
        # Off the event loop: a shared storage answers over the network.
        wait = await run_in_threadpool(limiter.check, limit, key)
        if wait is not None:
            raise RateLimitedError(f"{what}; try again in {_wait_text(wait)}", wait)


async def _count(limiter: RateLimiter, checks: list[tuple[str, str, str]]) -> None:
    for limit, key, _ in checks:
        await run_in_threadpool(limiter.hit, limit, key)


async def _email(request: Request) -> str | None:
    """The ``email`` of a JSON body (already read and parsed by the route), if it has one."""
    try:
        body: Any = await request.json()
    except (ValueError, RecursionError):
        return None  # the route answers the malformed body itself
    value = body.get("email") if isinstance(body, dict) else None
    return value.strip().lower() if isinstance(value, str) else None


def attempts(action: str, label: str) -> Any:
    """A dependency counting every ``action`` request per address and per the body's email.

    Every limit is checked before any is counted, so a refused request uses up nothing."""

    async def limit_attempts(request: Request, podium: PodiumDep) -> None:
        checks = [(f"{action} per address", client_address(request), "from your address")]
        if email := await _email(request):
            checks.append((f"{action} per email", email, "for this email"))
        checks = [(limit, key, f"too many {label} {where}") for limit, key, where in checks]
        await _refuse_if_over(podium.rate_limiter, checks)
        await _count(podium.rate_limiter, checks)

    return Depends(limit_attempts)


LOG_IN = attempts("log-in", "log-in attempts")
PASSWORD_RESET = attempts("password reset", "password reset requests")
SIGN_UP = attempts("sign-up", "sign-ups")
REGISTRATION = attempts("registration", "registrations")


async def limit_join_refusals(
    request: Request, room_id: UUID, podium: PodiumDep
) -> AsyncIterator[None]:
    """Refuse a join while its address or room has too many refusals; count each refusal."""
    what = "too many refused attempts to join"
    checks = [
        ("join refusals per address", client_address(request), f"{what} from your address"),
        ("join refusals per room", str(room_id), f"{what} this event"),
    ]
    await _refuse_if_over(podium.rate_limiter, checks)
    try:
        yield
    except WrongSecretError:
        await _count(podium.rate_limiter, checks)
        raise


JOIN_REFUSALS = Depends(limit_join_refusals)
