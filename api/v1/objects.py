"""Read-model rows as ClickMeeting's objects: room (3.1), token (3.4), registration (3.5).

Times are shown in the room's own time zone with its offset (``2016-11-18T00:00:00+03:00``),
as ClickMeeting does; ``ccc`` is the start in UTC as ``Y-m-d H:i:s``. A permanent room has no
``ccc``, ``starts_at`` or ``ends_at``. Display toggles ClickMeeting keeps per room and Podium
does not act on yet live in ``RoomSettings.extra``; missing ones show ClickMeeting's defaults.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.v1.deps import room_uuid
from commands.accounts import Principal
from domain.ids import account_handle
from domain.room import AccessType
from podium.bootstrap import Podium

ACCESS_TYPES = {AccessType.OPEN: 1, AccessType.PASSWORD: 2, AccessType.TOKEN: 3}
ACCESS_CODES = {code: kind for kind, code in ACCESS_TYPES.items()}
# settings[...] that map onto RoomSettings fields; the rest are display toggles (extra).
MAPPED_SETTINGS = {
    "phonegateway_enabled": "phone_gateway",
    "recorder_autostart_enabled": "recorder_autostart",
}
TOGGLE_DEFAULTS = {
    "show_on_personal_page": True,
    "thank_you_emails_enabled": True,
    "connection_tester_enabled": False,
    "room_invite_button_enabled": True,
    "social_media_sharing_enabled": False,
    "connection_status_enabled": True,
}
TOGGLES = (*TOGGLE_DEFAULTS, "encryption_enabled")
HOST_NICKNAME = "Host"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_iso(value: str | None, tz: ZoneInfo) -> str | None:
    """A stored UTC ISO time as ISO 8601 in ``tz``, to the second, offset with a colon."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).isoformat(timespec="seconds")


def room_url(podium: Podium, row: dict[str, Any]) -> str:
    return podium.public_room_url(str(row["account_id"]), str(row["name_url"]))


def host_identity(podium: Podium, account_id: str) -> str:
    """The email the host autologin hash signs in as: the account's owner login."""
    logins = podium.views.accounts.logins(account_id)
    owners = [row for row in logins if row["role"] in ("owner", "subaccount")] or logins
    return str(owners[0]["email"]) if owners else f"host@{account_handle(UUID(account_id))}"


def host_hash(podium: Podium, who: Principal, row: dict[str, Any], email: str) -> str:
    """The host's autologin hash (signed by ``Join``; the command appends nothing)."""
    result = podium.join.autologin_hash(
        who.account_id, room_uuid(row), email, HOST_NICKNAME, "host"
    )
    return str(result.body["autologin_hash"])


def room_object(
    podium: Podium, who: Principal, row: dict[str, Any], host_email: str | None = None
) -> dict[str, Any]:
    """A room as ClickMeeting's API shows it (reference 3.1), key for key."""
    settings = row["settings"]
    secrets = row["secrets"]
    tz = zone(str(row["timezone"]))
    now = podium.clock.now()
    starts = datetime.fromisoformat(row["starts_at"]) if row["starts_at"] else None
    offset = tz.utcoffset(starts or now)
    url = room_url(podium, row)
    email = host_email or host_identity(podium, str(row["account_id"]))
    autologin = host_hash(podium, who, row, email)
    room: dict[str, Any] = {
        "id": int(row["number"]),
        "room_type": row["room_type"],
        "room_pin": int(secrets["room_pin"]),
        "name": row["name"],
        "name_url": row["name_url"],
        "description": settings.get("agenda") or "",
        "access_type": ACCESS_TYPES[AccessType(row["access_type"])],
        "password": settings.get("password") or "",
        "lobby_enabled": bool(settings["lobby_enabled"]),
        "lobby_description": settings.get("lobby_description") or "",
        "registration_enabled": int(bool(settings["registration_enabled"])),
        "status": "active" if podium.views.rooms.is_active(row, now) else "inactive",
        "timezone": row["timezone"],
        "timezone_offset": int(offset.total_seconds()) if offset else 0,
        "created_at": local_iso(row["created_at"], tz),
        "updated_at": local_iso(row["updated_at"], tz),
        "permanent_room": bool(row["permanent"]),
    }
    if starts is not None and not row["permanent"]:
        room["ccc"] = starts.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        room["starts_at"] = local_iso(row["starts_at"], tz)
        room["ends_at"] = local_iso(row["ends_at"], tz)
    extra = settings.get("extra") or {}
    room |= {
        "access_role_hashes": {
            role: secrets["role_hashes"][role] for role in ("listener", "presenter", "host")
        },
        "room_url": url,
        "phone_presenter_pin": int(secrets["phone_presenter_pin"]),
        "phone_listener_pin": int(secrets["phone_listener_pin"]),
        "embed_room_url": f"{url}?embed=1",
        "widgets_hash": secrets["widgets_hash"],
        "recorder_list": [],
        "settings": {
            **{name: bool(extra.get(name, default)) for name, default in TOGGLE_DEFAULTS.items()},
            "phonegateway_enabled": bool(settings["phone_gateway"]),
            "recorder_autostart_enabled": bool(settings["recorder_autostart"]),
            "thank_you_page_url": settings.get("thank_you_page_url") or "",
        },
        "autologin_hashes": {"host": autologin},
        "autologin_hash": autologin,
    }
    return room


def token_object(row: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    return {
        "token": row["token"],
        "sent_to_email": row["sent_to"],
        "first_use_date": local_iso(row["first_use"], tz),
    }


def registration_object(
    podium: Podium, room: dict[str, Any], row: dict[str, Any], session_id: int | None = None
) -> dict[str, Any]:
    """A registration as ClickMeeting lists it (reference 3.5); ``session_id`` is null in the
    room's list (a registration is for the room) and the session's id in a session's list."""
    tz = zone(str(room["timezone"]))
    link = f"{room_url(podium, room)}?r={row['code']}"
    return {
        "id": int(row["number"]),
        "visitor_nickname": f"{row['first_name']} {row['last_name']}".strip(),
        "email": row["email"],
        "registration_date": local_iso(row["registered_at"], tz),
        "registration_confirmed": "null",
        "session_id": session_id,
        "fields": {
            "First Name": row["first_name"],
            "Last Name": row["last_name"],
            "Email Address": row["email"],
            **{str(label): answer for label, answer in row["answers"].items()},
        },
        "url": link,
        "r": row["code"],
        "http_referer": None,
        "geo": {"country": None, "city": None},
    }
