"""Answers about a room's live sessions (decision 0012)."""

from __future__ import annotations

from api.responses.base import Answer
from api.responses.rooms import LiveSessionRow


class LiveSessions(Answer):
    sessions: list[LiveSessionRow]


class SessionState(Answer):
    """A room's session after a start or an end: the same answer when nothing changed."""

    room_id: str
    session: int
    live: bool
    started_at: str | None
    ended_at: str | None
    ended_how: str | None


class Left(Answer):
    """Out of the session; ``seat`` is the seat given back (null when already out)."""

    room_id: str
    session: int
    left: bool
    seat: int | None
