"""Answers about getting in: tokens, registrations, invitations, admissions, autologin."""

from __future__ import annotations

from typing import Any

from api.responses.base import Answer


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
