"""Conferences (rooms): the active and inactive lists, create, read, update, delete.

Room ids in paths and answers are the rooms' numbers (ints); a room of another account is
simply not found. Lists are pages of ``PAGE_SIZE`` rooms (``page`` counts from 1).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import PodiumDep
from api.v1.deps import CallerDep, IdemDep, ParamsDep, RoomDep, room_uuid, settle
from api.v1.errors import V1Error
from api.v1.fields import Params
from api.v1.formats import render
from api.v1.objects import host_identity, room_object
from api.v1.room_params import default_start, new_room, room_changes
from commands.accounts import Principal
from podium.bootstrap import Podium

router = APIRouter(prefix="/conferences")
PAGE_SIZE = 100


def _rooms(podium: Podium, who: Principal, active: bool, params: Params) -> list[dict[str, Any]]:
    page = params.integer("page", low=1) or 1
    rows = podium.views.rooms.rooms(str(who.account_id), active, podium.clock.now())
    chosen = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    host = host_identity(podium, str(who.account_id))
    return [room_object(podium, who, row, host) for row in chosen]


def _room_by_id(podium: Podium, who: Principal, room_id: str) -> dict[str, Any]:
    row = podium.views.rooms.room(room_id)
    if row is None:
        raise V1Error(404, "conference not found", "room_id")
    return room_object(podium, who, row)


@router.get("")
def all_conferences(
    request: Request, podium: PodiumDep, who: CallerDep, params: ParamsDep
) -> Response:
    """``{"active_conferences": [...]}``: the active list under a key."""
    return render(request, {"active_conferences": _rooms(podium, who, True, params)})


@router.get("/active")
def active(request: Request, podium: PodiumDep, who: CallerDep, params: ParamsDep) -> Response:
    """Upcoming, running and permanent rooms: a JSON array of room objects."""
    return render(request, _rooms(podium, who, True, params))


@router.get("/inactive")
def inactive(request: Request, podium: PodiumDep, who: CallerDep, params: ParamsDep) -> Response:
    """Ended and switched-off rooms: a JSON array of room objects."""
    return render(request, _rooms(podium, who, False, params))


@router.post("")
def create(
    request: Request, podium: PodiumDep, who: CallerDep, params: ParamsDep, idem: IdemDep
) -> Response:
    """Schedule a room (or open a permanent one): 201 ``{"room": {...}}``."""
    settings = new_room(params, podium.clock.now())
    url_name = params.text("custom_room_url_name")
    result = settle(podium, podium.rooms.schedule(who.account_id, settings, idem, url_name))
    if podium.views.rooms.room(str(result.body["room_id"])) is None:
        # Saved, but the rooms read model cannot show it yet (see /health): what is known.
        return render(request, {"room": {"id": result.body["number"], **result.body}}, 201)
    room = _room_by_id(podium, who, str(result.body["room_id"]))
    return render(request, {"room": room}, 201)


@router.get("/{room_id:number}")
def conference(request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep) -> Response:
    """``{"conference": {...}}``."""
    return render(request, {"conference": room_object(podium, who, row)})


@router.put("/{room_id:number}")
def update(
    request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep, params: ParamsDep
) -> Response:
    """Change any create parameter, and ``status`` (active/inactive): ``{"conference": ...}``."""
    status = params.choice("status", ("active", "inactive"))
    settings = row["settings"]
    changes = room_changes(params, is_new=False, extra=dict(settings.get("extra") or {}))
    if changes.get("permanent") is False and not row["starts_at"] and "starts_at" not in changes:
        changes["starts_at"] = default_start(podium.clock.now())
    if changes:
        settle(podium, podium.rooms.edit(who.account_id, room_uuid(row), changes))
    if status is not None:
        settle(podium, podium.rooms.set_status(who.account_id, room_uuid(row), status))
    return render(request, {"conference": _room_by_id(podium, who, str(row["room_id"]))})


@router.delete("/{room_id:number}")
def delete(request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep) -> Response:
    """Delete the room: ``{"result": "OK"}``."""
    settle(podium, podium.rooms.set_status(who.account_id, room_uuid(row), "deleted"))
    return render(request, {"result": "OK"})
