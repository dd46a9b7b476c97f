"""The address book: contacts (saved by email) and the groups invitations are sent to."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import (
    CurrentPrincipal,
    IdempotencyHeader,
    PodiumDep,
    principal_scope,
    respond,
    scoped,
)
from api.responses.contacts import Contacts, ContactSaved, Group, Groups
from api.room_schemas import ContactIn, GroupIn, GroupMembersIn

router = APIRouter(tags=["contacts"])


@router.post(
    "/contacts",
    status_code=201,
    response_model=ContactSaved,
    responses={200: {"description": "an existing contact updated", "model": ContactSaved}},
)
def save_contact(
    body: ContactIn, who: CurrentPrincipal, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Add a contact (201), or update the one with this email (200)."""
    details = body.model_dump(exclude={"email"}, exclude_none=True)
    result = podium.contacts.save(
        who.account_id, str(body.email), details, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.get("/contacts", response_model=Contacts)
def contacts(who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    return {"contacts": podium.views.contacts.contacts(str(who.account_id))}


@router.post("/contact-groups", status_code=201, response_model=Group)
def create_group(
    body: GroupIn, who: CurrentPrincipal, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """A named group of addresses, to invite all at once."""
    emails = [str(email) for email in body.emails]
    result = podium.contacts.create_group(
        who.account_id, body.name, emails, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.get("/contact-groups", response_model=Groups)
def groups(who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    return {"groups": podium.views.contacts.groups(str(who.account_id))}


@router.post("/contact-groups/{group_id}/members", response_model=Group)
def add_members(
    group_id: UUID, body: GroupMembersIn, who: CurrentPrincipal, podium: PodiumDep
) -> JSONResponse:
    """Add addresses to a group (those already in it are left as they are)."""
    emails = [str(email) for email in body.emails]
    return respond(podium, podium.contacts.add_to_group(who.account_id, group_id, emails))
