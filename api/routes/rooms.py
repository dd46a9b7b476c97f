"""Rooms (events): schedule, list, read, edit and reschedule, activate, lock, delete."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from api.deps import (
    CurrentPrincipal,
    IdempotencyHeader,
    PodiumDep,
    principal_scope,
    respond,
    scoped,
)
from api.presenters import organizer_room, room_answer
from api.responses.rooms import Room, RoomChanged, Rooms, RoomStatus
from api.room_schemas import LockIn, RoomEdit, RoomIn, StatusIn
from commands.accounts import Principal
from domain.errors import NotFoundError
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["rooms"])


def own_room(podium: Podium, who: Principal, room_id: UUID) -> dict[str, Any]:
    """The room's read-model row, if the caller's account owns it (else: not found)."""
    row = podium.views.rooms.room(str(room_id))
    if row is None or row["account_id"] != str(who.account_id):
        raise NotFoundError("room not found")
    return row


@router.post("", status_code=201, response_model=Room)
def schedule(
    body: RoomIn, who: CurrentPrincipal, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Schedule an event, or open a permanent room (`permanent`, no `starts_at`).

    `starts_at` without an offset is the wall time in `timezone` (an IANA name, see
    GET /time-zones). Access is `open`, `password` (one `password` for everyone) or `token`
    (one single-use token per person, see POST /rooms/{room_id}/tokens).

    **Token access with the phone gateway on is accepted, with a warning**: phone
    participants cannot present a token, so with `access_type: token` and
    `phone_gateway: true` anyone with the listener PIN gets in by phone. The room is saved
    (ClickMeeting accepts it too, and its own example client asks for it) and its `warnings`
    list says so, in this answer and every read of the room, until one of them is turned off.

    A meeting admits at most 25 attendees (5 on the trial); `attendee_limit` may lower the
    plan's ceiling, never raise it. The answer is the room with its URL, event ID
    (`number`), embed code, PINs and the role links for hosts, presenters and listeners.
    """
    result = podium.rooms.schedule(
        who.account_id, body.settings(), scoped(idem, principal_scope(who))
    )
    return room_answer(podium, result)


@router.get("", response_model=Rooms)
def list_rooms(
    who: CurrentPrincipal,
    podium: PodiumDep,
    status: Annotated[Literal["active", "inactive"], Query()] = "active",
) -> dict[str, Any]:
    """Active rooms (upcoming, running, permanent) or inactive ones (ended or switched off)."""
    now = podium.clock.now()
    rows = podium.views.rooms.rooms(str(who.account_id), status == "active", now)
    return {"rooms": [organizer_room(podium, row, now) for row in rows]}


@router.get("/{room_id}", response_model=Room)
def read(room_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    return organizer_room(podium, own_room(podium, who, room_id), podium.clock.now())


@router.patch("/{room_id}", response_model=RoomChanged)
def edit(
    room_id: UUID, body: RoomEdit, who: CurrentPrincipal, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Edit or reschedule: only the fields sent change, and the answer lists them (`changed`).

    Every edit may re-send the invitations: with `resend_invitations: true` everyone invited
    gets theirs again (with the new details) once the edit is saved; `resent` lists them.
    The same rules as scheduling apply; a new start must not be in the past. An edit that
    leaves token access and the phone gateway both on is saved, and the answer's `warnings`
    says that anyone with the listener PIN gets in by phone (turn one of them off).
    """
    result = podium.rooms.edit(
        who.account_id, room_id, body.changes(), scoped(idem, principal_scope(who))
    )
    resent: list[str] = []
    if body.resend_invitations and not result.outcome.refused and not result.replayed:
        try:
            resent = podium.access.resend(who.account_id, room_id, None).body["resent"]
        except NotFoundError:
            resent = []  # nobody has been invited yet
    return room_answer(podium, result, resent=resent)


@router.post("/{room_id}/status", response_model=Room)
def set_status(
    room_id: UUID, body: StatusIn, who: CurrentPrincipal, podium: PodiumDep
) -> JSONResponse:
    """Switch a room on (active) or off (inactive: nobody can join it)."""
    return room_answer(podium, podium.rooms.set_status(who.account_id, room_id, body.status))


@router.post("/{room_id}/lock", response_model=Room)
def lock(room_id: UUID, body: LockIn, who: CurrentPrincipal, podium: PodiumDep) -> JSONResponse:
    """A locked room lets nobody new in but its hosts and presenters."""
    return room_answer(podium, podium.rooms.set_locked(who.account_id, room_id, body.locked))


@router.delete("/{room_id}", response_model=RoomStatus)
def delete(room_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> JSONResponse:
    """Delete a room; this cannot be undone, and its links stop working."""
    return respond(podium, podium.rooms.set_status(who.account_id, room_id, "deleted"))
