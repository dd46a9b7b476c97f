"""The subaccount lifecycle: assign, list, resize, cancel, delete, reassign, log into."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import (
    AccountOwner,
    IdempotencyHeader,
    PodiumDep,
    issue_raw_key,
    principal_scope,
    respond,
    scoped,
)
from api.responses.contacts import Subaccount, SubaccountKey, Subaccounts
from api.schemas import Resize, SubaccountIn
from domain.errors import NotFoundError

router = APIRouter(prefix="/subaccounts", tags=["subaccounts"])


@router.get("", response_model=Subaccounts)
def list_subaccounts(who: AccountOwner, podium: PodiumDep) -> dict[str, Any]:
    rows = podium.views.accounts.subaccounts(str(who.account_id))
    return {"subaccounts": [row for row in rows if row["status"] != "deleted"]}


@router.post("", status_code=201, response_model=Subaccount)
def assign(
    body: SubaccountIn, who: AccountOwner, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Created, not active: an activation email goes to its owner."""
    result = podium.subaccounts.assign(
        who.account_id,
        body.page_name,
        body.user_name,
        str(body.email),
        body.package_size,
        scoped(idem, principal_scope(who)),
    )
    return respond(podium, result)


@router.get("/{subaccount_id}", response_model=Subaccount)
def read(subaccount_id: UUID, who: AccountOwner, podium: PodiumDep) -> dict[str, Any]:
    sub = podium.views.accounts.subaccount(str(subaccount_id))
    if sub is None or sub["parent_id"] != str(who.account_id):
        raise NotFoundError("subaccount not found")
    return sub


@router.put("/{subaccount_id}/package", response_model=Subaccount)
def resize(
    subaccount_id: UUID, body: Resize, who: AccountOwner, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    result = podium.subaccounts.resize(
        who.account_id, subaccount_id, body.package_size, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.delete("/{subaccount_id}", response_model=Subaccount)
def delete(subaccount_id: UUID, who: AccountOwner, podium: PodiumDep) -> JSONResponse:
    """Delete it and all its data at once; this cannot be undone."""
    return respond(podium, podium.subaccounts.delete(who.account_id, subaccount_id))


@router.post("/{subaccount_id}/cancellation", response_model=Subaccount)
def cancel(
    subaccount_id: UUID, who: AccountOwner, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Active to the end of the billing period, then deleted; no further charge."""
    result = podium.subaccounts.cancel(
        who.account_id, subaccount_id, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.post("/{subaccount_id}/reassignment", status_code=201, response_model=Subaccount)
def reassign(
    subaccount_id: UUID,
    body: SubaccountIn,
    who: AccountOwner,
    podium: PodiumDep,
    idem: IdempotencyHeader,
) -> JSONResponse:
    """Delete the subaccount, then assign its package to someone else."""
    result = podium.subaccounts.reassign(
        who.account_id,
        subaccount_id,
        body.page_name,
        body.user_name,
        str(body.email),
        body.package_size,
        scoped(idem, principal_scope(who)),
    )
    return respond(podium, result)


@router.post("/{subaccount_id}/session", status_code=201, response_model=SubaccountKey)
def log_into(
    subaccount_id: UUID, who: AccountOwner, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """An API key with which the parent's owner acts inside the subaccount.

    Under an Idempotency-Key a retry answers with the same key, as POST /api-keys does.
    """
    scope = principal_scope(who)
    raw_key = issue_raw_key(podium, idem, scope)
    result = podium.subaccounts.log_into(who, subaccount_id, raw_key, scoped(idem, scope))
    return respond(podium, result, api_key=raw_key)
