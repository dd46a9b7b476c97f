"""A room's live sessions: one run of a room from its start to its end (a permanent room has many).

Two kinds of stream, both written at presenter speed, never by a join (decision 0012):
- ``LiveSession`` (id from room + session number): what presenters change in one run:
  started (by whom, when), locked and unlocked (decision 0016: the lock is the session's), and
  ended (how, by whom, when, and where everyone is sent: the room's thank-you page).
- ``RoomSessions`` (id from room): which session a join enters now. A join only reads it; the
  seats and admissions it then creates are keyed by that number, so a new session has all its
  seats by construction and ending one frees them without a write per seat.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, RuleViolationError
from domain.ids import derived_id

ENDED_FOR_ALL = "ended_for_all"
LEFT_EMPTY = "left_empty"
ENDINGS = frozenset({ENDED_FOR_ALL, LEFT_EMPTY})


class LiveSession(CheapCopy, Aggregate):
    """Session ``n`` of a room: created when a host or presenter starts it."""

    class Started(Aggregate.Created):
        room_id: UUID
        n: int
        by: str
        at: datetime

    class Ended(Aggregate.Event):
        """Version 2 added ``by`` and ``thank_you_page_url`` (where room clients send everyone;
        None: the room has none). Version 1 ends carried neither."""

        class_version = 2
        how: str
        at: datetime
        by: str
        thank_you_page_url: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["by"] = ""
            state["thank_you_page_url"] = None

    class LockChanged(Aggregate.Event):
        locked: bool
        by: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, n: int, by: str, at: datetime) -> UUID:
        return LiveSession.id_for(room_id, n)

    @staticmethod
    def id_for(room_id: UUID, n: int) -> UUID:
        return derived_id("live-session", f"{room_id}:{n}")

    @event(Started)
    def __init__(self, room_id: UUID, n: int, by: str, at: datetime) -> None:
        self.room_id, self.n, self.started_by, self.started_at = room_id, n, by, at
        self.ended_at: datetime | None = None
        self.ended_how: str | None = None
        self.thank_you_page_url: str | None = None
        self.locked = False

    @property
    def live(self) -> bool:
        return self.ended_at is None

    def end(
        self, how: str, at: datetime, by: str = "", thank_you_page_url: str | None = None
    ) -> None:
        """End the session; ending an ended one changes nothing."""
        if how not in ENDINGS:
            raise InvalidRequestError(f"a session ends as one of {sorted(ENDINGS)}")
        if self.live:
            self._ended(how, at, by, thank_you_page_url)

    @event(Ended)
    def _ended(self, how: str, at: datetime, by: str, thank_you_page_url: str | None) -> None:
        self.ended_how, self.ended_at = how, at
        self.thank_you_page_url = thank_you_page_url

    def set_locked(self, locked: bool, by: str, at: datetime) -> bool:
        """Lock (only presenters may enter) or unlock a running session; False: no change."""
        if not self.live:
            raise RuleViolationError("this session has ended")
        if locked == self.locked:
            return False
        self._lock_changed(locked, by, at)
        return True

    @event(LockChanged)
    def _lock_changed(self, locked: bool, by: str, at: datetime) -> None:
        self.locked = locked


class RoomSessions(CheapCopy, Aggregate):
    """Which session of a room is live or next; read by every join, written only at start/end."""

    class Opened(Aggregate.Created):
        room_id: UUID

    class SessionStarted(Aggregate.Event):
        n: int

    class SessionEnded(Aggregate.Event):
        n: int

    @staticmethod
    def create_id(room_id: UUID) -> UUID:
        return RoomSessions.id_for(room_id)

    @staticmethod
    def id_for(room_id: UUID) -> UUID:
        return derived_id("room-sessions", str(room_id))

    @event(Opened)
    def __init__(self, room_id: UUID) -> None:
        self.room_id = room_id
        self.current = 1  # the session a join enters: the live one, else the next one
        self.live = False

    def start(self) -> bool:
        """Mark the current session live; False when it already was (nothing changes)."""
        if self.live:
            return False
        self._started(self.current)
        return True

    @event(SessionStarted)
    def _started(self, n: int) -> None:
        self.live = True

    def end(self) -> bool:
        """End the live session, so joins enter the next; False when none was live."""
        if not self.live:
            return False
        self._ended(self.current)
        return True

    @event(SessionEnded)
    def _ended(self, n: int) -> None:
        self.live = False
        self.current = n + 1


def current_session(sessions: RoomSessions | None) -> int:
    """The session number a join enters: 1 before a room's first start."""
    return sessions.current if sessions is not None else 1
