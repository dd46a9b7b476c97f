"""The dial pad's ports wired to the room's services (decision 0019): actions and readings.

``ServiceControls`` passes each key's action to the service that owns it, acting as the phone
participant (their attendance credential), so those services' rules decide: the session's
start, end and lock (``commands.live.sessions.Live``), the audio mode and mutes
(``commands.live.audio.AudioControl``), questions (``commands.live.questions.Questions``, as
``Asks``; without one, key 5 is refused with a spoken reason and changes nothing).
"""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from commands.live.actors import Caller
from commands.live.audio import AudioControl
from commands.live.sessions import Live
from commands.store import EventStore
from domain.errors import RuleViolationError
from domain.live_session import LiveSession
from domain.room import Room
from projections.rooms.view import RoomsView

NOT_YET = "is not available by phone yet"


class Asks(Protocol):
    """The questions service, as key 5 uses it."""

    def ask(self, caller: Caller, room_id: UUID, text: str) -> object: ...


class ServiceControls:
    """``RoomControls`` over the room's services."""

    def __init__(self, live: Live, audio: AudioControl, questions: Asks | None = None) -> None:
        self.live, self.audio, self.questions = live, audio, questions

    def start(self, caller: Caller, room_id: UUID) -> object:
        return self.live.start(caller, room_id)

    def end(self, caller: Caller, room_id: UUID) -> object:
        return self.live.end(caller, room_id)

    def set_lock(self, caller: Caller, room_id: UUID, locked: bool) -> object:
        return self.live.set_lock(caller, room_id, locked)

    def set_mode(self, caller: Caller, room_id: UUID, mode: str) -> object:
        return self.audio.set_mode(caller, room_id, mode)

    def mute(self, caller: Caller, room_id: UUID, email: str, muted: bool) -> object:
        return self.audio.mute(caller, room_id, email, muted)

    def ask(self, caller: Caller, room_id: UUID, text: str) -> object:
        if self.questions is None:
            raise RuleViolationError(f"asking a question {NOT_YET}")
        return self.questions.ask(caller, room_id, text)


class StoreReadings:
    """``RoomReadings``: presence from the admissions read model, the lock from the session,
    the caller's microphone from the audio service."""

    def __init__(self, store: EventStore, rooms: RoomsView, audio: AudioControl) -> None:
        self.store, self.rooms, self.audio = store, rooms, audio

    def participants(self, room_id: UUID, session: int) -> int:
        rows = self.rooms.admissions(str(room_id))
        return sum(1 for r in rows if r["session"] == session and r["left_at"] is None)

    def locked(self, room_id: UUID, session: int) -> bool:
        """The session's lock (decision 0016), or the room's before the session started."""
        try:
            live = self.store.load(LiveSession.id_for(room_id, session))
        except AggregateNotFoundError:
            live = None
        if isinstance(live, LiveSession):
            return bool(live.locked)
        room = self.store.load(room_id)
        return isinstance(room, Room) and room.locked

    def muted(self, caller: Caller, room_id: UUID) -> bool | None:
        me = self.audio.state(caller, room_id).body.get("me")
        return bool(me["muted"]) if isinstance(me, dict) else None
