"""Typed dependencies: the Podium container, the caller, the Idempotency-Key."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
from typing import Annotated

import orjson
from fastapi import Depends, Header, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.consistency import settle
from api.errors import answers, problem
from api.outcomes import PROBLEM_SHAPE
from commands.accounts import Principal
from commands.errors import AuthenticationError, PermissionDeniedError
from commands.tokens import API_KEY_PREFIX, new_api_key
from commands.unit_of_work import Idempotency, Result
from domain.errors import InvalidRequestError
from domain.login import Role, has_billing_rights
from podium.bootstrap import Podium

MAX_IDEMPOTENCY_KEY = 255
PRINCIPAL_KEY = "podium.principal"  # set by api.middleware.auth_first


def get_podium(request: Request) -> Podium:
    podium: Podium = request.app.state.podium
    return podium


PodiumDep = Annotated[Podium, Depends(get_podium)]


# Declared as security schemes (not plain headers) so the OpenAPI says how to authenticate;
# neither refuses on its own (auto_error=False): the 401 below says what to send.
API_KEY = APIKeyHeader(name="X-Api-Key", auto_error=False, description="an API key")
BEARER = HTTPBearer(auto_error=False, description="the same API key, as a bearer token")


@answers(401)
def current_principal(
    podium: PodiumDep,
    request: Request,
    x_api_key: Annotated[str | None, Security(API_KEY)] = None,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)] = None,
) -> Principal:
    """The caller, from X-Api-Key or ``Authorization: Bearer <key>``.

    Already known if the key was checked before the body was read (``api.middleware``)."""
    known = request.scope.get(PRINCIPAL_KEY)
    if isinstance(known, Principal):
        return known
    key = x_api_key
    if key is None and bearer is not None:
        key = bearer.credentials.strip()
    if not key:
        raise AuthenticationError("send your API key in the X-Api-Key header")
    return podium.accounts.authenticate(key)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


@answers(403)
def account_owner(who: CurrentPrincipal) -> Principal:
    """Only the owner of a (top-level) account manages billing, members and subaccounts."""
    if who.role == Role.SUBACCOUNT:
        raise PermissionDeniedError("a subaccount is managed and billed by its parent account")
    if who.role != Role.OWNER:
        raise PermissionDeniedError("only the account owner can do this")
    return who


AccountOwner = Annotated[Principal, Depends(account_owner)]


@answers(403)
def billing_access(who: CurrentPrincipal) -> Principal:
    """Every billing read and write: payment method, plan changes, funds, add-ons, packages,
    transactions. The rule (``domain.login.has_billing_rights``) and the whole role matrix:
    docs/roles.md."""
    if who.role == Role.SUBACCOUNT:
        raise PermissionDeniedError("a subaccount is billed through its parent account")
    if not has_billing_rights(who.role):
        raise PermissionDeniedError(
            "billing is the account owner's: a member has no billing rights"
        )
    return who


BillingAccess = Annotated[Principal, Depends(billing_access)]


async def _fingerprint(request: Request) -> str:
    """What makes two requests the same one: method, path and body (JSON compared by value,
    so a retry that orders its keys differently is still the same request)."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        # Not JSON after all: then the raw bytes identify it.
        with contextlib.suppress(orjson.JSONDecodeError):
            body = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS)
    # Keyed with the server secret: the fingerprint is stored, and a body can hold a password
    # or a card number, which a plain hash would let anyone holding the log guess back.
    secret = get_podium(request).settings.secret.encode()
    message = request.method.encode() + request.url.path.encode() + body
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


IDEMPOTENCY_KEY = Header(
    min_length=1,
    max_length=MAX_IDEMPOTENCY_KEY,
    description="a retry with the same key and request returns the first answer",
)


async def idempotency(
    request: Request, idempotency_key: Annotated[str | None, IDEMPOTENCY_KEY] = None
) -> tuple[str, str] | None:
    """The raw Idempotency-Key and the request's fingerprint, if a key was sent."""
    if idempotency_key is None:
        return None
    if not 1 <= len(idempotency_key) <= MAX_IDEMPOTENCY_KEY:
        raise InvalidRequestError(
            f"Idempotency-Key must have 1 to {MAX_IDEMPOTENCY_KEY} characters"
        )
    return idempotency_key, await _fingerprint(request)


IdempotencyHeader = Annotated[tuple[str, str] | None, Depends(idempotency)]


def scoped(header: tuple[str, str] | None, scope: str) -> Idempotency | None:
    """The key as the runner takes it: keys are per caller, so two callers never collide."""
    if header is None:
        return None
    key, fingerprint = header
    return Idempotency(scope, key, fingerprint)


def principal_scope(who: Principal) -> str:
    return f"login:{who.login_id}:account:{who.account_id}"


def issue_raw_key(podium: Podium, header: tuple[str, str] | None, scope: str) -> str:
    """A new API key; under an Idempotency-Key it is derived from the key (HMAC with the
    server secret), so a retry shows the same key without the key ever being stored."""
    if header is None:
        return new_api_key()
    mac = hmac.new(podium.settings.secret.encode(), f"{scope}\x1f{header[0]}".encode(), "sha256")
    return API_KEY_PREFIX + mac.hexdigest()


def respond(podium: Podium, result: Result, **extra: object) -> JSONResponse:
    """A command's result as HTTP, once the read models it changed show it (read-your-writes;
    any that cannot are named in a header, see ``api.consistency``); a refusal as problem+json."""
    settled = settle(podium, result)
    headers = settled.headers()
    if settled.refused:
        body = dict(result.body)
        detail = str(body.pop("detail", ""))
        shape = PROBLEM_SHAPE.get(result.outcome, {}) | body
        return problem(settled.status, detail, headers=headers, **shape)
    return JSONResponse({**result.body, **extra}, status_code=settled.status, headers=headers)
