"""The public side of rooms, no API key needed: find a room, read its form, register, join.

A room is found by its ID, its event ID (`/events/{number}`) or its URL
(`/{handle}/{name_url}`, where the handle is 8 hex digits of the account). That last route
would catch every two-segment path, so it only matches those shapes (a path convertor, not a
validation error) and ``address_router`` is registered after every other router.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from starlette.convertors import Convertor, register_url_convertor

from api.contract import problems
from api.deps import IdempotencyHeader, PodiumDep, respond, scoped
from api.presenters import public_room
from api.responses.access import Admitted, Registered
from api.responses.rooms import PublicRoom, RegistrationForm
from api.room_schemas import JoinIn, RegistrationIn
from api.schemas import Position
from api.throttle import JOIN_REFUSALS, REGISTRATION, client_address
from commands.join import JoinRequest
from domain.errors import NotFoundError, RuleViolationError
from podium.bootstrap import Podium

PUBLIC_SCOPE = "public"
FIXED_FIELDS = [
    {"label": "first_name", "type": "text", "required": True, "options": []},
    {"label": "last_name", "type": "text", "required": True, "options": []},
    {"label": "email", "type": "email", "required": True, "options": []},
]


class _RoomHandle(Convertor[str]):
    """An account's handle in a room URL: 16 hex digits (``domain.ids.account_handle``), or the
    8 of the URLs issued before them."""

    regex = "[0-9a-f]{8}(?:[0-9a-f]{8})?"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


class _RoomSlug(_RoomHandle):
    """A room's name_url: lower-case letters, digits and dashes (``domain.room.slugify``)."""

    regex = "[a-z0-9][a-z0-9-]{0,63}"


# Registering a convertor is Starlette's only way to constrain a segment; it connects nothing.
register_url_convertor("room_handle", _RoomHandle())
register_url_convertor("room_slug", _RoomSlug())

# The same shapes in the contract, so a client (or the fuzzer) knows what the router matches.
Handle = Annotated[str, Path(pattern=f"^{_RoomHandle.regex}$")]
Slug = Annotated[str, Path(pattern=f"^{_RoomSlug.regex}$")]

router = APIRouter(tags=["public"])
address_router = APIRouter(tags=["public"])


def found(row: dict[str, Any] | None) -> dict[str, Any]:
    if row is None:
        raise NotFoundError("room not found")
    return row


def form(podium: Podium, row: dict[str, Any]) -> dict[str, Any]:
    if not podium.views.rooms.is_active(row, podium.clock.now()):
        raise NotFoundError("this event is not active")
    settings = row["settings"]
    if not settings["registration_enabled"]:
        raise RuleViolationError("registration is not enabled for this event")
    return {
        "room_id": row["room_id"],
        "name": row["name"],
        "starts_at": row["starts_at"],
        "timezone": row["timezone"],
        "fields": FIXED_FIELDS,
        "custom_fields": settings["registration_fields"],
        "post_to": f"/rooms/{row['room_id']}/registrations",
    }


@router.get(
    "/rooms/{room_id}/registration-form", response_model=RegistrationForm, responses=problems(409)
)
def registration_form(room_id: UUID, podium: PodiumDep) -> dict[str, Any]:
    """The registration form: first name, last name and email, then the custom fields, whose
    answers go in `answers` keyed by label."""
    return form(podium, found(podium.views.rooms.room(str(room_id))))


@router.post(
    "/rooms/{room_id}/registrations",
    status_code=201,
    response_model=Registered,
    responses=problems(429),
    dependencies=[REGISTRATION],
)
def register(
    room_id: UUID, body: RegistrationIn, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Register for an event; a confirmation with the personal room link is emailed."""
    result = podium.access.register(
        room_id,
        body.first_name,
        body.last_name,
        str(body.email),
        body.answers,
        body.lang,
        idem=scoped(idem, PUBLIC_SCOPE),
    )
    return respond(podium, result)


@router.post(
    "/rooms/{room_id}/join",
    response_model=Admitted,
    responses=problems(403, 429),
    dependencies=[JOIN_REFUSALS],
)
def join(room_id: UUID, body: JoinIn, http: Request, podium: PodiumDep) -> JSONResponse:
    """Enter a room. Refusals are 403 and say why: wrong password, a token used by someone
    else, not registered, locked; a full room or the account's one live event is 409. The
    browser, system, device and country of the attendance report come from the User-Agent
    header and the client's address, or from `country` when the client sends one."""
    request = JoinRequest(
        nickname=body.nickname,
        email=str(body.email or ""),
        password=body.password,
        token=body.token,
        registration_code=body.r,
        role_hash=body.role_hash,
        autologin=body.autologin,
        user_agent=http.headers.get("user-agent", ""),
        ip=client_address(http),
        country=body.country,
    )
    return respond(podium, podium.join.admit(room_id, request))


@router.get("/events/{number}", response_model=PublicRoom)
def by_event_id(number: Annotated[Position, Path()], podium: PodiumDep) -> dict[str, Any]:
    """The room with this event ID, as anyone may see it; join it at its `room_id`."""
    row = found(podium.views.rooms.by_number(number))
    return public_room(podium, row, podium.clock.now())


@address_router.get("/{handle:room_handle}/{name_url:room_slug}", response_model=PublicRoom)
def by_address(handle: Handle, name_url: Slug, podium: PodiumDep) -> dict[str, Any]:
    """The room at this URL (the room URL itself), as anyone may see it."""
    row = found(podium.views.rooms.by_address(handle, name_url))
    return public_room(podium, row, podium.clock.now())


@address_router.get(
    "/{handle:room_handle}/{name_url:room_slug}/register",
    response_model=RegistrationForm,
    responses=problems(409),
)
def form_at_address(handle: Handle, name_url: Slug, podium: PodiumDep) -> dict[str, Any]:
    """The registration form of the room at this URL (the link in invitations)."""
    return form(podium, found(podium.views.rooms.by_address(handle, name_url)))
