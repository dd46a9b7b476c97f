"""The Room aggregate (a ClickMeeting "conference"): schedule, access, lobby, branding, forms.

A room's configuration is one ``RoomSettings`` value; scheduling a room records it whole and an
edit records only what changed, so the log says exactly what the organizer did. Every rule that
does not need the outside world is checked here (``check``); the time zone's existence and the
start time's conversion to UTC are the command layer's, which has the tz database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, LimitExceededError, RuleViolationError
from domain.ids import derived_id
from domain.plans import Limits

MEETING_MAX_ATTENDEES = 25
MIN_DURATION, MAX_DURATION = 5, 24 * 60
MAX_EMPTY_SESSION_GRACE = 24 * 60
# How far ahead an event may be scheduled. Bounding every accepted instant keeps every value
# derived from it (the end, reminders, the local wall time in any zone) representable, so no
# stored event can later make a projection or a report overflow.
MAX_SCHEDULE_AHEAD = timedelta(days=10 * 366)
TEXT_LIMITS = {"name": 200, "password": 64, "lobby_description": 2000, "agenda": 5000}
FIELD_TYPES = frozenset({"text", "textarea", "select", "checkbox", "radio", "phone"})
MAX_CUSTOM_FIELDS = 20
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class RoomType(StrEnum):
    WEBINAR = "webinar"
    MEETING = "meeting"
    ON_DEMAND = "ondemand"


class AccessType(StrEnum):
    """How people get in: anyone with the link, one shared password, or one token each."""

    OPEN = "open"
    PASSWORD = "password"  # noqa: S105 - the access type's name, not a password
    TOKEN = "token"  # noqa: S105 - likewise


class RoomStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    DELETED = "deleted"


@dataclass(frozen=True)
class FormField:
    """A custom registration field (first name, last name and email are always asked)."""

    label: str
    type: str = "text"
    required: bool = False
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoomSettings:
    """Everything an organizer configures about a room."""

    name: str
    room_type: RoomType = RoomType.WEBINAR
    permanent: bool = False
    starts_at: datetime | None = None  # UTC; None for a permanent room
    duration_minutes: int = 60
    timezone: str = "UTC"
    access_type: AccessType = AccessType.OPEN
    password: str | None = None
    lobby_enabled: bool = False
    lobby_description: str = ""
    agenda: str = ""
    skin_id: int | None = None
    registration_enabled: bool = False
    registration_fields: tuple[FormField, ...] = ()
    thank_you_page_url: str | None = None
    recorder_autostart: bool = False
    phone_gateway: bool = False
    toll_free: bool = False
    attendee_limit: int | None = None  # at most the plan's (and 25 for a meeting)
    # A live session nobody is in any more ends by itself this long after the last one left.
    empty_session_grace_minutes: int = 30
    extra: dict[str, bool] = field(default_factory=dict)  # display toggles (v1 settings[...])

    def as_state(self) -> dict[str, Any]:
        """Plain values for an event: enums as strings, form fields as dicts."""
        state = asdict(self)
        state["room_type"] = str(self.room_type)
        state["access_type"] = str(self.access_type)
        state["registration_fields"] = [
            asdict(f) | {"options": list(f.options)} for f in self.registration_fields
        ]
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> RoomSettings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in state.items() if k in known}
        values["room_type"] = RoomType(values.get("room_type", RoomType.WEBINAR))
        values["access_type"] = AccessType(values.get("access_type", AccessType.OPEN))
        values["registration_fields"] = tuple(
            FormField(f["label"], f["type"], f["required"], tuple(f["options"]))
            for f in values.get("registration_fields", ())
        )
        return cls(**values)

    def changed(self, **changes: Any) -> RoomSettings:
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise InvalidRequestError(f"unknown room setting(s): {', '.join(sorted(unknown))}")
        return replace(self, **changes)

    @property
    def ends_at(self) -> datetime | None:
        return self.starts_at + timedelta(minutes=self.duration_minutes) if self.starts_at else None


def check(settings: RoomSettings, limits: Limits, now: datetime, *, is_new: bool) -> None:
    """Refuse a configuration that breaks a rule, saying which and why."""
    _check_range(settings, now)
    for name, limit in TEXT_LIMITS.items():
        value = getattr(settings, name) or ""
        if len(value) > limit:
            raise InvalidRequestError(f"{name} must be at most {limit} characters")
    check_text(settings)
    if not settings.name.strip():
        raise InvalidRequestError("name must not be empty")
    if not settings.permanent and settings.room_type != RoomType.ON_DEMAND:
        if settings.starts_at is None:
            raise InvalidRequestError("a scheduled room needs starts_at (or make it permanent)")
        if is_new and settings.starts_at < now:
            raise InvalidRequestError("starts_at is in the past")
        if not MIN_DURATION <= settings.duration_minutes <= MAX_DURATION:
            raise InvalidRequestError(
                f"duration must be between {MIN_DURATION} minutes and {MAX_DURATION // 60} hours"
            )
    if not 1 <= settings.empty_session_grace_minutes <= MAX_EMPTY_SESSION_GRACE:
        raise InvalidRequestError(
            f"empty_session_grace_minutes must be between 1 and {MAX_EMPTY_SESSION_GRACE}"
        )
    if settings.access_type == AccessType.PASSWORD and not settings.password:
        raise InvalidRequestError("password access needs a password")
    if settings.thank_you_page_url and not _URL.match(settings.thank_you_page_url):
        raise InvalidRequestError("thank_you_page_url must be an http(s) URL")
    _check_form(settings.registration_fields)
    _check_capacity(settings, limits)


# The help centre only recommends against this pair, and ClickMeeting's own example client
# schedules it, so it is accepted and the organizer is told what it means instead.
PHONE_GATEWAY_WARNING = (
    "token access with the phone gateway on: phone participants cannot present a token, so "
    "anyone with the listener PIN gets in by phone; turn one of them off to close that door"
)


def warnings(access_type: str, phone_gateway: bool) -> list[str]:
    """What an accepted configuration lets happen that the organizer may not expect."""
    found = []
    if access_type == AccessType.TOKEN and phone_gateway:
        found.append(PHONE_GATEWAY_WARNING)
    return found


def _check_range(settings: RoomSettings, now: datetime) -> None:
    """Every instant and duration within bounds, whatever the kind of room (an on-demand or
    permanent room may carry a start too, and its end is derived from it)."""
    if not 0 <= settings.duration_minutes <= MAX_DURATION:
        raise InvalidRequestError(f"duration must be between 0 and {MAX_DURATION // 60} hours")
    if settings.starts_at is not None and settings.starts_at > now + MAX_SCHEDULE_AHEAD:
        years = MAX_SCHEDULE_AHEAD.days // 366
        raise InvalidRequestError(f"starts_at must be at most {years} years ahead")


SINGLE_LINE = ("name", "password", "thank_you_page_url")
MULTI_LINE = ("lobby_description", "agenda")
_LINE_BREAKS = frozenset("\t\n\r")


def _unfit(value: str, *, multi_line: bool) -> str | None:
    """The first character of ``value`` that text of this kind may not hold, if any.

    Control characters (C0, DEL, C1) and lone surrogates are never text: XML 1.0 cannot carry
    most of them, terminals and mail headers act on them, and a surrogate is not even encodable as
    UTF-8. A one-line value also refuses tabs, line breaks and the Unicode line and paragraph
    separators; a multi-line one keeps tab, newline and carriage return.
    """
    for char in value:
        if multi_line and char in _LINE_BREAKS:
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or (not multi_line and category in ("Zl", "Zp")):
            return char
    return None


def check_text(settings: RoomSettings) -> None:
    """Refuse control characters in a room's text, naming the field and the character."""
    named: list[tuple[str, str, bool]] = [
        (name, getattr(settings, name) or "", False) for name in SINGLE_LINE
    ]
    named += [(name, getattr(settings, name) or "", True) for name in MULTI_LINE]
    for custom in settings.registration_fields:
        named.append(("registration field label", custom.label, False))
        named += [("registration field option", option, False) for option in custom.options]
    for name, value, multi_line in named:
        char = _unfit(value, multi_line=multi_line)
        if char is not None:
            raise InvalidRequestError(
                f"{name} must not contain control characters (found U+{ord(char):04X})"
            )


def _check_form(form: tuple[FormField, ...]) -> None:
    if len(form) > MAX_CUSTOM_FIELDS:
        raise InvalidRequestError(
            f"a registration form has at most {MAX_CUSTOM_FIELDS} custom fields"
        )
    for custom in form:
        if not 1 <= len(custom.label) <= 100:
            raise InvalidRequestError("a registration field's label must have 1 to 100 characters")
        if custom.type not in FIELD_TYPES:
            kinds = ", ".join(sorted(FIELD_TYPES))
            raise InvalidRequestError(f"field type {custom.type!r} is not one of {kinds}")
        if custom.type in ("select", "radio") and not custom.options:
            raise InvalidRequestError(f"the {custom.type} field {custom.label!r} needs options")


def _check_capacity(settings: RoomSettings, limits: Limits) -> None:
    ceiling = limits.max_attendees
    if settings.room_type == RoomType.MEETING:
        ceiling = min(ceiling, MEETING_MAX_ATTENDEES, limits.max_meeting_attendees)
    if settings.attendee_limit is not None:
        if settings.attendee_limit < 1:
            raise InvalidRequestError("attendee_limit must be at least 1")
        if settings.attendee_limit > ceiling:
            kind = "a meeting" if settings.room_type == RoomType.MEETING else "this plan"
            raise LimitExceededError(
                f"{kind} allows at most {ceiling} attendees, not {settings.attendee_limit}"
            )


class Room(CheapCopy, Aggregate):
    """One room: a scheduled event or a permanent room, with its access rules."""

    class Scheduled(Aggregate.Created):
        account_id: UUID
        name_url: str
        settings: dict[str, Any]
        secrets: dict[str, Any]
        at: datetime

    class Edited(Aggregate.Event):
        changes: dict[str, Any]
        at: datetime

    class StatusChanged(Aggregate.Event):
        status: str
        at: datetime

    class Invited(Aggregate.Event):
        email: str
        at: datetime

    class LockChanged(Aggregate.Event):
        locked: bool
        at: datetime

    @event(Scheduled)
    def __init__(
        self,
        account_id: UUID,
        name_url: str,
        settings: dict[str, Any],
        secrets: dict[str, Any],
        at: datetime,
    ) -> None:
        self.account_id = account_id
        self.name_url = name_url
        self.settings_state = dict(settings)
        self.secrets = dict(secrets)  # PINs and role hashes, generated by the command layer
        self.status = RoomStatus.ACTIVE
        self.invitees: list[str] = []
        self.locked = False
        self.created_at = at
        self.updated_at = at

    @property
    def number(self) -> int:
        """The numeric id ClickMeeting clients expect: 53 bits of the UUID (safe in JSON)."""
        return room_number(self.id)

    @property
    def settings(self) -> RoomSettings:
        return RoomSettings.from_state(self.settings_state)

    def edit(self, new: RoomSettings, limits: Limits, now: datetime) -> dict[str, Any]:
        """Apply a new configuration; returns what changed (nothing: no event)."""
        self._require_not_deleted()
        moved = new.starts_at != self.settings.starts_at
        check(new, limits, now, is_new=moved)
        before, after = self.settings.as_state(), new.as_state()
        changes = {k: v for k, v in after.items() if before.get(k) != v}
        if changes:
            self._edited(changes, now)
        return changes

    @event(Edited)
    def _edited(self, changes: dict[str, Any], at: datetime) -> None:
        self.settings_state.update(changes)
        self.updated_at = at

    def set_status(self, status: RoomStatus, now: datetime) -> None:
        """Active, inactive, or deleted (a deleted room cannot come back)."""
        self._require_not_deleted()
        if status != self.status:
            self._status_changed(str(status), now)

    @event(StatusChanged)
    def _status_changed(self, status: str, at: datetime) -> None:
        self.status = RoomStatus(status)
        self.updated_at = at

    def set_locked(self, locked: bool, at: datetime) -> None:
        """A locked room lets nobody new in but its hosts."""
        self._require_not_deleted()
        if locked != self.locked:
            self._lock_changed(locked, at)

    @event(LockChanged)
    def _lock_changed(self, locked: bool, at: datetime) -> None:
        self.locked = locked

    def note_invitee(self, email: str, at: datetime) -> None:
        """Remember who was invited, so "re-send to all" knows whom."""
        if email not in self.invitees:
            self._invited(email, at)

    @event(Invited)
    def _invited(self, email: str, at: datetime) -> None:
        self.invitees.append(email)

    def _require_not_deleted(self) -> None:
        if self.status == RoomStatus.DELETED:
            raise RuleViolationError("the room has been deleted")


class RoomAddress(CheapCopy, Aggregate):
    """Claims a room URL (account handle + slug) for one room, so no two rooms share it."""

    class Claimed(Aggregate.Created):
        handle: str
        slug: str
        room_id: UUID

    @staticmethod
    def create_id(handle: str, slug: str, room_id: UUID) -> UUID:
        return RoomAddress.id_for(handle, slug)

    @staticmethod
    def id_for(handle: str, slug: str) -> UUID:
        return derived_id("room-address", f"{handle}/{slug}")

    @event(Claimed)
    def __init__(self, handle: str, slug: str, room_id: UUID) -> None:
        self.room_id = room_id


def room_number(room_id: UUID) -> int:
    return room_id.int >> 75


def slugify(name: str) -> str:
    """A URL-safe name: lower-case letters, digits and dashes (ClickMeeting's name_url)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug[:60] or "room"
