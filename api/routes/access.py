"""Who may enter an organizer's room: tokens, registrations, invitations, autologin hashes."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from api.contract import problems
from api.deps import (
    CurrentPrincipal,
    IdempotencyHeader,
    PodiumDep,
    principal_scope,
    respond,
    scoped,
)
from api.presenters import room_url
from api.responses.access import (
    Admissions,
    AutologinHash,
    Invitations,
    Invited,
    NewTokens,
    Registrations,
    Resent,
    Tokens,
    TokenState,
)
from api.room_schemas import AutologinIn, InvitationsIn, ResendIn, TokensIn
from api.routes.rooms import own_room

router = APIRouter(prefix="/rooms/{room_id}", tags=["access"])


@router.post("/tokens", status_code=201, response_model=NewTokens)
def generate_tokens(
    room_id: UUID, body: TokensIn, who: CurrentPrincipal, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Generate `how_many` tokens for a token-access room; each lets in one person only."""
    result = podium.access.generate_tokens(
        who.account_id, room_id, body.how_many, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.get("/tokens", response_model=Tokens)
def tokens(room_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    """Every token of the room: whom it was sent to, whether it was used and by whom."""
    own_room(podium, who, room_id)
    rows = podium.views.rooms.tokens(str(room_id))
    return {"tokens": [row | {"used": row["used_by"] is not None} for row in rows]}


@router.delete("/tokens/{token}", response_model=TokenState)
def deactivate_token(
    room_id: UUID,
    token: Annotated[str, Path(max_length=64, pattern="^[A-Za-z0-9_-]+$")],
    who: CurrentPrincipal,
    podium: PodiumDep,
) -> JSONResponse:
    """Deactivate a token: nobody can join with it any more, not even who used it."""
    return respond(podium, podium.access.deactivate_token(who.account_id, room_id, token))


@router.get("/registrations", response_model=Registrations)
def registrations(
    room_id: UUID,
    who: CurrentPrincipal,
    podium: PodiumDep,
    status: Annotated[Literal["all", "active"], Query()] = "all",
) -> dict[str, Any]:
    """The room's registrants with their answers and status, in the order they registered."""
    row = own_room(podium, who, room_id)
    url = room_url(podium, row)
    rows = podium.views.rooms.registrations(str(room_id), status)
    return {"registrations": [r | {"url": f"{url}?r={r['code']}"} for r in rows]}


@router.post("/invitations", response_model=Invited)
def invite(
    room_id: UUID,
    body: InvitationsIn,
    who: CurrentPrincipal,
    podium: PodiumDep,
    idem: IdempotencyHeader,
) -> JSONResponse:
    """Email invitations to addresses and address-book groups, as attendee or presenter.

    To a token event each invitee gets their own token (the same one on every re-send); to a
    registration event, the link to the registration form. Inviting someone again re-sends.
    """
    result = podium.access.invite(
        who.account_id,
        room_id,
        [str(email) for email in body.emails],
        body.group_ids,
        body.room_role,
        body.lang,
        body.template,
        scoped(idem, principal_scope(who)),
    )
    return respond(podium, result)


@router.post("/invitations/resend", response_model=Resent)
def resend(
    room_id: UUID,
    body: ResendIn,
    who: CurrentPrincipal,
    podium: PodiumDep,
    idem: IdempotencyHeader,
) -> JSONResponse:
    """Send the invitations again: to `email` only, or (without it) to everyone invited.

    Under an Idempotency-Key a retry sends nothing more."""
    email = str(body.email).lower() if body.email else None
    result = podium.access.resend(
        who.account_id, room_id, email, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.get("/invitations", response_model=Invitations)
def invitations(room_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    """Who was invited, in what role, and how many times it was sent."""
    own_room(podium, who, room_id)
    return {"invitations": podium.views.rooms.invitations(str(room_id))}


@router.get("/admissions", response_model=Admissions)
def admissions(room_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    """Who was let in, in what role, how (open, password, token...), and how many times."""
    own_room(podium, who, room_id)
    return {"admissions": podium.views.rooms.admissions(str(room_id))}


@router.post("/autologin-hashes", response_model=AutologinHash, responses=problems(403))
def autologin_hash(
    room_id: UUID, body: AutologinIn, who: CurrentPrincipal, podium: PodiumDep
) -> JSONResponse:
    """A hash that lets one named person in as host, presenter or listener without a form.

    For a listener the room's password or token is checked now (pass them here; a token is
    then that person's), so the link works on its own. A listener's hash for a token room may
    also be made without a token (as ClickMeeting allows): the person then presents their
    token when they enter (`token` in POST /rooms/{room_id}/join; without one the join is
    refused, 403). The hash is signed, not stored, and the same request always gives the
    same hash.
    """
    row = own_room(podium, who, room_id)
    result = podium.join.autologin_hash(
        who.account_id,
        room_id,
        str(body.email),
        body.nickname,
        body.role,
        body.password,
        body.token,
    )
    value = result.body.get("autologin_hash")
    return respond(podium, result, url=f"{room_url(podium, row)}?l={value}")
