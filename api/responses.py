"""What the panel answers on success, as typed schemas for the OpenAPI document.

Each names the keys a client can rely on, with their types; an answer may carry more (read
models grow), so every schema allows other keys. Routes that build a ``JSONResponse`` (a
command's answer) are documented by them without being re-validated; routes that return a dict
are validated against them, so a read model that drifts fails the suite, not a client. The
fuzzer checks every answer it sees against these.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    """An answer object: the documented keys, and possibly more."""

    model_config = ConfigDict(extra="allow")


class Status(Answer):
    status: str


# ---- rooms --------------------------------------------------------------------------------


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


# ---- access -------------------------------------------------------------------------------


class NewTokens(Answer):
    tokens: list[str]


class Token(Answer):
    token: str
    sent_to: str | None
    used_by: str | None
    first_use: str | None
    active: bool
    used: bool


class Tokens(Answer):
    tokens: list[Token]


class TokenState(Answer):
    token: str
    active: bool


class Registered(Answer):
    registration_id: str
    url: str
    r: str
    status: str


class Registration(Answer):
    registration_id: str
    email: str
    first_name: str
    last_name: str
    answers: dict[str, Any]
    code: str
    status: str
    registered_at: str
    url: str


class Registrations(Answer):
    registrations: list[Registration]


class Invited(Answer):
    status: str
    invited: list[str]


class Resent(Answer):
    status: str
    resent: list[str]


class Invitation(Answer):
    email: str
    role: str
    sends: int


class Invitations(Answer):
    invitations: list[Invitation]


class Admissions(Answer):
    admissions: list[dict[str, Any]]


class Admitted(Answer):
    """Let in: as whom, on which seat of which session, and where the room is.

    ``session`` is the room's live session, or the next one while attendees wait in the lobby;
    ``credential`` lets this person leave it (POST /rooms/{room_id}/leave), giving the seat back.
    """

    room_id: str
    role: str
    nickname: str
    seat: int
    session: int
    credential: str
    room_url: str
    lobby: bool


class AutologinHash(Answer):
    autologin_hash: str
    url: str


# ---- accounts, keys, members --------------------------------------------------------------


class SignedUp(Answer):
    """A new trial account and its owner's login."""

    account_id: str
    login_id: str
    email: str
    status: str
    trial_ends: str | None


class IssuedKey(Answer):
    """A new API key: shown here once, stored only as a digest."""

    api_key: str


class Revoked(Answer):
    id: str
    revoked: bool


class Member(Answer):
    login_id: str
    email: str
    role: str
    status: str


class Members(Answer):
    members: list[Member]


class MemberAdded(Answer):
    login_id: str
    email: str
    role: str


class MemberRemoved(Answer):
    login_id: str
    removed: bool


class LoginChanged(Answer):
    login_id: str


class Accepted(Answer):
    detail: str


class AccountState(Answer):
    """An account after a billing command: status, plan and cycle, the period's end."""

    account_id: str
    status: str


class PaymentMethod(Answer):
    """The payment method on file, as the account shows it (never a card number)."""

    kind: str
    label: str


class AccountSummary(Answer):
    """The account (or, for a subaccount's login, the subaccount); the balance and payment
    method only for a login with billing rights (docs/roles.md)."""

    status: str
    role: str
    balance: int | None = None  # absent, not null, without billing rights (exclude_unset)


# ---- billing, timeline, mail --------------------------------------------------------------


class LedgerEntry(Answer):
    sequence: int
    kind: str
    amount: int
    currency: str
    balance_after: int
    description: str
    at: str


class Transactions(Answer):
    balance: int
    currency: str
    entries: list[LedgerEntry]


class TimelineEntry(Answer):
    position: int
    at: str
    kind: str


class Timeline(Answer):
    entries: list[TimelineEntry]


class Message(Answer):
    mail_id: str
    recipient: str
    subject: str
    purpose: str
    status: str
    attempts: int


class Messages(Answer):
    messages: list[Message]


# ---- address book, subaccounts ------------------------------------------------------------


class ContactSaved(Answer):
    contact_id: str
    status: str


class Contact(Answer):
    contact_id: str
    email: str


class Contacts(Answer):
    contacts: list[Contact]


class Group(Answer):
    group_id: str
    emails: list[str]


class Groups(Answer):
    groups: list[Group]


class Subaccount(Answer):
    subaccount_id: str
    page_name: str
    user_name: str
    email: str
    package_size: int
    status: str


class Subaccounts(Answer):
    subaccounts: list[dict[str, Any]]


class SubaccountKey(IssuedKey):
    subaccount_id: str


# ---- reference ----------------------------------------------------------------------------


class TimeZones(Answer):
    time_zones: list[str]


class CountryTimeZones(TimeZones):
    country: str


class DialInNumbers(Answer):
    dial_in_numbers: list[dict[str, Any]]


class TollFreeCost(Answer):
    attendees: int
    minutes: int
    rate_per_minute: int
    amount: int
    currency: str


class Catalogue(Answer):
    trial: dict[str, Any]
    plans: list[dict[str, Any]]
    currency: str
