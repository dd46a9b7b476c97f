"""The dial pad's ports wired to what exists (decision 0019): room actions and room readings.

``ServiceControls`` reaches the session's start and end (``commands.live.sessions.Live``) and
the room's lock (``commands.rooms.Rooms``) as the room's account, once the phone participant
is known to be a presenter (the dial pad offers those keys to presenters only). The audio mode,
mutes and questions are other concerns' services; until they exist, those keys are refused
with a spoken reason and change nothing.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from commands.live.actors import Caller
from commands.live.sessions import Live
from commands.rooms import Rooms
from commands.store import EventStore
from domain.errors import RuleViolationError
from domain.live_session import LiveSession
from domain.room import Room
from projections.rooms.view import RoomsView

NOT_YET = "is not available by phone yet"


class ServiceControls:
    """``RoomControls`` over today's services."""

    def __init__(self, store: EventStore, live: Live, rooms: Rooms) -> None:
        self.store, self.live, self.rooms = store, live, rooms

    def _account(self, room_id: UUID) -> UUID:
        room = self.store.load(room_id)
        assert isinstance(room, Room)
        return room.account_id

    def start(self, caller: Caller, room_id: UUID) -> object:
        return self.live.start(self._account(room_id), room_id, "phone")

    def end(self, caller: Caller, room_id: UUID) -> object:
        return self.live.end(self._account(room_id), room_id)

    def set_lock(self, caller: Caller, room_id: UUID, locked: bool) -> object:
        return self.rooms.set_locked(self._account(room_id), room_id, locked)

    def set_mode(self, caller: Caller, room_id: UUID, mode: str) -> object:
        raise RuleViolationError(f"changing the audio mode {NOT_YET}")

    def mute(self, caller: Caller, room_id: UUID, email: str, muted: bool) -> object:
        raise RuleViolationError(f"muting {NOT_YET}")

    def ask(self, caller: Caller, room_id: UUID, text: str) -> object:
        raise RuleViolationError(f"asking a question {NOT_YET}")


class StoreReadings:
    """``RoomReadings``: presence from the admissions read model, the lock from the room."""

    def __init__(self, store: EventStore, rooms: RoomsView) -> None:
        self.store, self.rooms = store, rooms

    def participants(self, room_id: UUID, session: int) -> int:
        rows = self.rooms.admissions(str(room_id))
        return sum(1 for r in rows if r["session"] == session and r["left_at"] is None)

    def locked(self, room_id: UUID, session: int) -> bool:
        """The session's lock where sessions keep one, else the room's."""
        try:
            live = self.store.load(LiveSession.id_for(room_id, session))
        except AggregateNotFoundError:
            live = None
        lock = getattr(live, "locked", None)  # sessions keep the lock since decision 0016
        if lock is not None:
            return bool(lock)
        room = self.store.load(room_id)
        return isinstance(room, Room) and room.locked

    def muted(self, caller: Caller, room_id: UUID) -> bool | None:
        return None  # no audio service yet: the call's own keys are all there is
