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
    locked: bool = False
    thank_you_page_url: str | None = None


class Left(Answer):
    """Out of the session; ``seat`` is the seat given back (null when already out)."""

    room_id: str
    session: int
    left: bool
    seat: int | None


class Invited(Answer):
    """Who was sent the room's invitation from inside the room, and as what."""

    room_id: str
    invited: list[str]
    role: str


class Lobby(Answer):
    """What the lobby shows while the event has not started."""

    message: str
    agenda: str


class Place(SessionState):
    """Where a joined person is: ``lobby`` (an attendee before the start), ``room`` (presenters
    may enter before it), or ``ended`` (go to ``thank_you_page_url``)."""

    where: str
    role: str
    nickname: str
    name: str
    starts_at: str | None
    lobby: Lobby


class MyAudio(Answer):
    muted: bool
    may_speak: bool
    hears: bool


class AudioState(Answer):
    """A session's audio as the caller is in it; ``voice`` (who speaks in Q&A) for presenters."""

    room_id: str
    session: int
    mode: str
    meeting: bool
    recorded: bool
    has_voice: bool
    me: MyAudio
