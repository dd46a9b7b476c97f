"""Answers about rooms: the organizer's view, the public view, the registration form."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from api.responses.base import Answer


class LiveSessionRow(Answer):
    """One run of a room: its number, who started it and when, and how it ended (if it did)."""

    number: int
    started_by: str
    started_at: str
    ended_how: str | None
    ended_at: str | None
    live: bool


class Room(Answer):
    """A room as its organizer sees it: settings, links, PINs, role links, the live session."""

    room_id: str
    number: int
    name: str
    name_url: str
    room_type: str
    permanent: bool
    starts_at: str | None
    ends_at: str | None
    timezone: str
    duration_minutes: int
    access_type: str
    status: Literal["active", "inactive"]
    locked: bool
    room_url: str
    registration_url: str | None
    embed_code: str
    room_pin: str | int
    phone_presenter_pin: str | int
    phone_listener_pin: str | int
    role_links: dict[str, str]
    created_at: str
    updated_at: str
    warnings: list[str] = Field(
        description="What this configuration lets happen that the organizer may not expect "
        "(such as token access with the phone gateway on: anyone with the listener PIN gets "
        "in by phone); empty when there is nothing to say"
    )
    live_session: LiveSessionRow | None = None


class RoomChanged(Room):
    """An edited room, with the fields that changed and whom the invitations went to again."""

    changed: list[str] | None = None
    resent: list[str] | None = None


class Rooms(Answer):
    rooms: list[Room]


class RoomStatus(Answer):
    room_id: str
    status: str


class PublicRoom(Answer):
    """What anyone with the link or the event ID may see."""

    room_id: str
    number: int
    name: str
    room_url: str
    room_type: str
    permanent: bool
    starts_at: str | None
    ends_at: str | None
    timezone: str
    duration_minutes: int
    status: Literal["active", "inactive"]
    locked: bool
    access_type: str
    lobby: dict[str, Any]
    agenda: str
    registration_enabled: bool
    registration_url: str | None


class FormFieldOut(Answer):
    label: str
    type: str
    required: bool
    options: list[str]


class RegistrationForm(Answer):
    room_id: str
    name: str
    starts_at: str | None
    timezone: str
    fields: list[FormFieldOut]
    custom_fields: list[FormFieldOut]
    post_to: str
