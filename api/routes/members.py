"""Multiuser: several logins on one account, sharing its data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import (
    AccountOwner,
    CurrentPrincipal,
    IdempotencyHeader,
    PodiumDep,
    principal_scope,
    respond,
    scoped,
)
from api.responses.accounts import MemberAdded, MemberRemoved, Members
from api.schemas import MemberIn

router = APIRouter(prefix="/members", tags=["members"])


@router.get("", response_model=Members)
def members(who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    return {"members": podium.views.accounts.logins(str(who.account_id))}


@router.post("", status_code=201, response_model=MemberAdded)
def invite(
    body: MemberIn, who: AccountOwner, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Add a login; the person sets a password through the emailed activation link."""
    result = podium.accounts.invite_member(who, str(body.email), scoped(idem, principal_scope(who)))
    return respond(podium, result)


@router.delete("/{login_id}", response_model=MemberRemoved)
def remove(login_id: UUID, who: AccountOwner, podium: PodiumDep) -> JSONResponse:
    return respond(podium, podium.accounts.remove_member(who, login_id))
