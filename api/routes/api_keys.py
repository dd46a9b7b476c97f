"""API keys for integrations (X-Api-Key); shown once, stored only as a digest."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import (
    CurrentPrincipal,
    IdempotencyHeader,
    PodiumDep,
    issue_raw_key,
    principal_scope,
    respond,
    scoped,
)
from api.responses.accounts import IssuedKey, Revoked
from api.schemas import ApiKeyIn

router = APIRouter(prefix="/api-keys", tags=["api keys"])


@router.post("", status_code=201, response_model=IssuedKey)
def issue(
    body: ApiKeyIn, who: CurrentPrincipal, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    scope = principal_scope(who)
    raw_key = issue_raw_key(podium, idem, scope)
    result = podium.accounts.issue_api_key(who, body.label, raw_key, scoped(idem, scope))
    return respond(podium, result, api_key=raw_key)


@router.delete("/{key_id}", response_model=Revoked)
def revoke(key_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> JSONResponse:
    return respond(podium, podium.accounts.revoke_api_key(who, key_id))
