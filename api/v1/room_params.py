"""ClickMeeting's create/update parameters (reference 2.1) as Podium's ``RoomSettings``.

``access_type`` 1/2/3 is open/password/token; ``settings[phonegateway_enabled]`` and
``settings[recorder_autostart_enabled]`` are the phone gateway and recording auto-start; the
other ``settings[...]`` toggles are kept in ``RoomSettings.extra``. ``starts_at`` may carry an
offset (ISO 8601, ``+0300`` or ``+03:00``) or be wall time in the room's ``timezone``
(``Y-m-d H:i:s``, ``yyyy-MM-dd HH:mm``); it defaults to now. ``duration`` is ``h:mm``, or a
whole number of hours as the Java and Flex examples send it.

``custom_room_url_name`` chooses the room's URL name (checked here, applied on create).
Accepted and checked but not applied: ``registration[template]`` (Podium has one registration
page layout).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from api.v1.fields import Params, whole_number
from api.v1.objects import ACCESS_CODES, MAPPED_SETTINGS, TOGGLES
from api.v1.reference import SKIN_IDS
from domain.room import RoomSettings, RoomType
from domain.timezones import ALL_ZONES

ROOM_TYPES = (str(RoomType.MEETING), str(RoomType.WEBINAR))
_DURATION = re.compile(r"^\s*([0-9]{1,2}):([0-5][0-9])(?::([0-5][0-9]))?\s*$")
MAX_HOURS = 99  # what h:mm can say; the domain refuses what a room may not last
_SLUG = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


def parse_start(params: Params, key: str = "starts_at") -> datetime | None:
    """An aware datetime (offset given) or a naive one (wall time in the room's zone)."""
    text = params.text(key)
    if text is None or not text.strip():
        return None
    text = text.strip()
    for layout in _FORMATS:
        try:
            return datetime.strptime(text, layout)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise params.invalid(
            key, "must be a date and time such as 2026-11-04 18:00:00 or 2026-11-04T18:00:00+01:00"
        ) from None


def parse_duration(params: Params, key: str = "duration") -> int | None:
    """Minutes, from ``h:mm`` (``1:30``) or a whole number of hours (``1``)."""
    text = params.text(key)
    if text is None or not text.strip():
        return None
    if whole_number(text) is not None:
        hours = params.integer(key, low=0, high=MAX_HOURS)
        return None if hours is None else hours * 60
    found = _DURATION.match(text)
    if found is None:
        raise params.invalid(key, "must be hours and minutes as h:mm (such as 1:30) or whole hours")
    return int(found.group(1)) * 60 + int(found.group(2))


def default_start(now: datetime) -> datetime:
    """Now, rounded up to the minute (a start a moment in the past would be refused)."""
    if now.second or now.microsecond:
        now = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return now


def _settings_changes(params: Params, current: dict[str, bool]) -> dict[str, Any]:
    section = params.section("settings")
    changes: dict[str, Any] = {}
    extra = dict(current)
    for name in TOGGLES:
        value = section.flag(name)
        if value is not None:
            extra[name] = value
    if extra != current:
        changes["extra"] = extra
    for name, field in MAPPED_SETTINGS.items():
        value = section.flag(name)
        if value is not None:
            changes[field] = value
    url = section.text("thank_you_page_url", limit=2000)
    if url is not None:
        changes["thank_you_page_url"] = url.strip() or None
    return changes


def _timezone(params: Params) -> str | None:
    name = (params.text("timezone") or "").strip()
    if not name:
        return None
    if name not in ALL_ZONES:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise params.invalid("timezone", f"is not a known time zone: {name!r}") from None
    return name


def room_changes(params: Params, *, is_new: bool, extra: dict[str, bool]) -> dict[str, Any]:
    """The ``RoomSettings`` fields the parameters set (for an update: only those sent)."""
    changes: dict[str, Any] = {}
    name = params.text("name", required=is_new, limit=200)
    if name is not None:
        if not name.strip():
            raise params.invalid("name", "must not be empty")
        changes["name"] = name.strip()
    room_type = params.choice("room_type", ROOM_TYPES)
    if room_type is not None:
        changes["room_type"] = RoomType(room_type)
    elif is_new:
        raise params.invalid("room_type", "is required (meeting or webinar)")
    permanent = params.flag("permanent_room")
    if permanent is not None:
        changes["permanent"] = permanent
    elif is_new:
        raise params.invalid("permanent_room", "is required (1 permanent, 0 scheduled)")
    access = params.integer("access_type")
    if access is not None:
        if access not in ACCESS_CODES:
            raise params.invalid("access_type", "must be 1 (open), 2 (password) or 3 (token)")
        changes["access_type"] = ACCESS_CODES[access]
    elif is_new:
        raise params.invalid("access_type", "is required (1 open, 2 password, 3 token)")
    for key, field, limit in (
        ("password", "password", 64),
        ("lobby_description", "lobby_description", 2000),
    ):
        value = params.text(key, limit=limit)
        if value is not None:
            changes[field] = value if field != "password" else (value or None)
    lobby = params.flag("lobby_enabled")
    if lobby is not None:
        changes["lobby_enabled"] = lobby
    timezone = _timezone(params)
    if timezone is not None:
        changes["timezone"] = timezone
    start = parse_start(params)
    if start is not None:
        changes["starts_at"] = start
    duration = parse_duration(params)
    if duration is not None:
        changes["duration_minutes"] = duration
    skin = params.integer("skin_id")
    if skin is not None:
        if skin not in SKIN_IDS:
            raise params.invalid("skin_id", "is not one of the ids conferences/skins lists")
        changes["skin_id"] = skin
    slug = params.text("custom_room_url_name")
    if slug and not _SLUG.match(slug):
        raise params.invalid("custom_room_url_name", "may have letters, digits, - and _ only")
    registration = params.section("registration")
    enabled = registration.flag("enabled")
    if enabled is not None:
        changes["registration_enabled"] = enabled
    registration.integer("template", low=1, high=3)
    changes |= _settings_changes(params, extra)
    return changes


def new_room(params: Params, now: datetime) -> RoomSettings:
    """The settings of a room to create; a scheduled room without ``starts_at`` starts now."""
    changes = room_changes(params, is_new=True, extra={})
    if not changes.get("permanent") and "starts_at" not in changes:
        changes["starts_at"] = default_start(now)
    return RoomSettings(name=changes.pop("name")).changed(**changes)
