"""Request bodies of the events API (rooms, access, joining, address book), one per purpose.

Kept apart from ``api.schemas`` so each stays small. Length limits match ``domain.room``'s, so
an oversized field is refused here with the field's name, before any command runs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import EmailStr, Field, StringConstraints

from api.schemas import Body, Count, Integral, Name, WholeNumber
from domain.errors import InvalidRequestError
from domain.room import (
    MAX_DURATION,
    MAX_EMPTY_SESSION_GRACE,
    MIN_DURATION,
    AccessType,
    FormField,
    RoomSettings,
    RoomType,
)

Text = Annotated[str, Field(max_length=200)]
Url = Annotated[str, Field(max_length=2000)]
RoomPassword = Annotated[str, Field(min_length=1, max_length=64)]
TimeZone = Annotated[str, Field(min_length=1, max_length=64, examples=["Europe/Warsaw"])]
Answer = Annotated[str, Field(max_length=1000)] | bool | WholeNumber
FieldType = Literal["text", "textarea", "select", "checkbox", "radio", "phone"]


class FormFieldIn(Body):
    """A custom registration field; first name, last name and email are always asked."""

    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    type: FieldType = "text"
    required: bool = False
    options: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50
    )

    def as_field(self) -> FormField:
        return FormField(self.label, self.type, self.required, tuple(self.options))


class RoomFields(Body):
    """What scheduling and editing share. ``starts_at`` without an offset is the wall time in
    ``timezone``; with one, it is that instant."""

    room_type: Literal["webinar", "meeting", "ondemand"] = "webinar"
    permanent: bool = False
    starts_at: datetime | None = None
    duration_minutes: Annotated[
        int, Field(strict=True, ge=MIN_DURATION, le=MAX_DURATION), Integral
    ] = 60
    timezone: TimeZone = "UTC"
    access_type: Literal["open", "password", "token"] = "open"
    password: RoomPassword | None = None
    lobby_enabled: bool = False
    lobby_description: Annotated[str, Field(max_length=2000)] = ""
    agenda: Annotated[str, Field(max_length=5000)] = ""
    skin_id: Count | None = None
    registration_enabled: bool = False
    registration_fields: list[FormFieldIn] = Field(default_factory=list, max_length=20)
    thank_you_page_url: Url | None = None
    recorder_autostart: bool = False
    phone_gateway: bool = False
    toll_free: bool = False
    attendee_limit: Count | None = None
    empty_session_grace_minutes: Annotated[
        int, Field(strict=True, ge=1, le=MAX_EMPTY_SESSION_GRACE), Integral
    ] = 30


class RoomIn(RoomFields):
    """Schedule an event (or open a permanent room)."""

    name: Name

    def settings(self) -> RoomSettings:
        values = self.model_dump(exclude={"registration_fields"})
        fields = tuple(f.as_field() for f in self.registration_fields)
        return RoomSettings.from_state(values).changed(registration_fields=fields)


class RoomEdit(RoomFields):
    """Edit or reschedule: only the fields sent change. ``resend_invitations`` sends every
    invitation again once the edit is saved."""

    name: Name | None = None
    resend_invitations: bool = False

    def changes(self) -> dict[str, Any]:
        sent = self.model_fields_set - {"resend_invitations"}
        changes = {name: getattr(self, name) for name in sent}
        if changes.get("name", "") is None:
            raise InvalidRequestError("name must not be empty")
        if "room_type" in changes:
            changes["room_type"] = RoomType(self.room_type)
        if "access_type" in changes:
            changes["access_type"] = AccessType(self.access_type)
        if "registration_fields" in changes:
            changes["registration_fields"] = tuple(f.as_field() for f in self.registration_fields)
        return changes


class StatusIn(Body):
    status: Literal["active", "inactive"]


class LockIn(Body):
    locked: bool


class LeaveIn(Body):
    """The credential POST /rooms/{room_id}/join answered with."""

    credential: Annotated[str, Field(min_length=1, max_length=1000)]


class TokensIn(Body):
    how_many: Annotated[int, Field(strict=True, ge=1, le=1000), Integral]


class InvitationsIn(Body):
    emails: list[EmailStr] = Field(default_factory=list, max_length=500)
    group_ids: list[UUID] = Field(default_factory=list, max_length=100)
    role: Literal["attendee", "listener", "presenter"] = "listener"
    lang: Literal["en", "pl"] = "en"
    template: Literal["basic", "advanced"] = "basic"

    @property
    def room_role(self) -> str:
        """ClickMeeting calls a listener an attendee in invitations; both are accepted."""
        return "listener" if self.role == "attendee" else self.role


class ResendIn(Body):
    email: EmailStr | None = None


class RegistrationIn(Body):
    """A public registration: the three fixed fields and the answers to the custom ones."""

    first_name: Name
    last_name: Name
    email: EmailStr
    answers: dict[Annotated[str, Field(max_length=100)], Answer] = Field(
        default_factory=dict, max_length=20
    )
    lang: Literal["en", "pl"] = "en"


class JoinIn(Body):
    """What someone at the door presents; ``r`` is the code in a registrant's room link and
    ``autologin`` a hash from POST /rooms/{id}/autologin-hashes (which names the person)."""

    nickname: Annotated[str, Field(max_length=100)] = ""
    email: EmailStr | None = None
    password: Annotated[str, Field(max_length=64)] | None = None
    token: Annotated[str, Field(max_length=64)] | None = None
    r: Annotated[str, Field(max_length=64)] | None = None
    role_hash: Annotated[str, Field(max_length=64)] | None = None
    autologin: Annotated[str, Field(max_length=1000)] | None = None
    # The client's own country (ISO 3166-1 alpha-2), when it knows better than its IP address.
    country: Annotated[str, Field(pattern="^[A-Za-z]{2}$")] | None = None


class AutologinIn(Body):
    email: EmailStr
    nickname: Annotated[str, Field(min_length=1, max_length=100)]
    role: Literal["listener", "presenter", "host"] = "listener"
    password: Annotated[str, Field(max_length=64)] | None = None
    token: Annotated[str, Field(max_length=64)] | None = None


class ContactIn(Body):
    """A contact, saved by email: saving the same email again updates it."""

    email: EmailStr
    first_name: Text | None = None
    last_name: Text | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    company: Text | None = None
    country: Annotated[str, Field(max_length=2)] | None = None


class GroupIn(Body):
    name: Name
    emails: list[EmailStr] = Field(default_factory=list, max_length=500)


class GroupMembersIn(Body):
    emails: Annotated[list[EmailStr], Field(min_length=1, max_length=500)]
