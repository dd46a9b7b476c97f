"""Room read-model rows as the API shows them: to their organizer (with the links, embed code
and PINs that let people in) and to the public (what a visitor may know before joining)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.responses import JSONResponse

from api.consistency import REPLAYED_HEADER, STALE_HEADER
from api.deps import respond
from api.outcomes import http_status
from commands.unit_of_work import Result
from domain.room import warnings
from podium.bootstrap import Podium

EMBED = (
    '<iframe src="{url}?embed=1" width="100%" height="600" frameborder="0" '
    'allow="camera; microphone; fullscreen; display-capture"></iframe>'
)
ROLES = ("host", "presenter", "listener")


def room_url(podium: Podium, row: dict[str, Any]) -> str:
    return podium.public_room_url(str(row["account_id"]), str(row["name_url"]))


def listed_status(podium: Podium, row: dict[str, Any], now: datetime) -> str:
    """Active (upcoming, running or permanent) or inactive (ended or switched off)."""
    return "active" if podium.views.rooms.is_active(row, now) else "inactive"


def organizer_room(podium: Podium, row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Everything about a room, for the account that owns it."""
    url = room_url(podium, row)
    secrets = row["secrets"]
    hashes = secrets["role_hashes"]
    return {
        **row["settings"],
        "room_id": row["room_id"],
        "number": row["number"],
        "name_url": row["name_url"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "status": listed_status(podium, row, now),
        "locked": row["locked"],
        "room_url": url,
        "registration_url": f"{url}/register" if row["settings"]["registration_enabled"] else None,
        "embed_code": EMBED.format(url=url),
        "room_pin": secrets["room_pin"],
        "phone_presenter_pin": secrets["phone_presenter_pin"],
        "phone_listener_pin": secrets["phone_listener_pin"],
        "role_links": {role: f"{url}?role={hashes[role]}" for role in ROLES},
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "warnings": warnings(row["settings"]["access_type"], row["settings"]["phone_gateway"]),
        "live_session": podium.views.live_sessions.live(row["room_id"]),
    }


def public_room(podium: Podium, row: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What anyone with the link or the event ID may see: no password, PINs or role links."""
    settings, url = row["settings"], room_url(podium, row)
    return {
        "room_id": row["room_id"],
        "number": row["number"],
        "name": row["name"],
        "room_url": url,
        "room_type": row["room_type"],
        "permanent": row["permanent"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "timezone": row["timezone"],
        "duration_minutes": settings["duration_minutes"],
        "status": listed_status(podium, row, now),
        "locked": row["locked"],
        "access_type": row["access_type"],
        "lobby": {
            "enabled": settings["lobby_enabled"],
            "description": settings["lobby_description"],
        },
        "agenda": settings["agenda"],
        "registration_enabled": settings["registration_enabled"],
        "registration_url": f"{url}/register" if settings["registration_enabled"] else None,
    }


def room_answer(podium: Podium, result: Result, **extra: object) -> JSONResponse:
    """A room command's answer: the room as the read model now shows it, or the problem.

    When projections run in another process the room may not be there yet; the command's own
    answer (which names the room) is returned then.
    """
    response = respond(podium, result, **extra)
    if result.outcome.refused or STALE_HEADER in response.headers:
        return response  # a stale row would show the room as it was before this write
    row = podium.views.rooms.room(str(result.body["room_id"]))
    if row is None:
        return response
    body = organizer_room(podium, row, podium.clock.now()) | extra
    if "changed" in result.body:
        body["changed"] = result.body["changed"]
    headers = {REPLAYED_HEADER: "true"} if result.replayed else None
    return JSONResponse(body, status_code=http_status(result.outcome), headers=headers)
