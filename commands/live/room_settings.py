"""Room settings a presenter changes during the event: interface language and toll-free.

Chat on/off is the chat module's. The language is ``LiveSettings``' (the recording that starts
next keeps it; one running keeps its own). Toll-free changes the room's own settings, where
dial-in reads them, and is noted on ``LiveSettings`` so room clients hear of it; turning it on
with the phone gateway off is refused (409) until the caller asks for the gateway too
(decision 0021).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.live.actors import Actors, Caller, live_session, require_presenter
from commands.rooms import account_limits
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.errors import InvalidRequestError
from domain.live.settings import LiveSettings, RoomLanguage, language_of, toll_free_change
from domain.room import Room, warnings


class LiveRoomSettings:
    """Change the room's interface language and toll-free numbers from inside the room."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def change(
        self,
        caller: Caller,
        room_id: UUID,
        *,
        language: str | None = None,
        toll_free: bool | None = None,
        phone_gateway: bool | None = None,
    ) -> Result:
        """Apply what is given (all of it, or nothing when one part is refused)."""
        if language is None and toll_free is None:
            raise InvalidRequestError("say what to change: language or toll_free")
        if toll_free is None and phone_gateway is not None:
            raise InvalidRequestError("phone_gateway changes here only with toll_free")

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "change the room's settings")
            live_session(unit, actor)
            room = unit.get(Room, room_id, "room")
            found = unit.find(LiveSettings, LiveSettings.id_for(room_id, actor.session))
            settings = found or unit.add(
                LiveSettings(room_id, actor.session, current_language(unit, room_id, 0), unit.now)
            )
            changed: list[str] = []
            if language is not None and settings.set_language(language, actor.email, unit.now):
                remembered = unit.find(RoomLanguage, RoomLanguage.id_for(room_id))
                remembered = remembered or unit.add(RoomLanguage(room_id, unit.now))
                remembered.choose(settings.language, unit.now)
                changed.append("language")
            if toll_free is not None:
                current = room.settings
                free, gateway = toll_free_change(toll_free, current.phone_gateway, phone_gateway)
                edited = room.edit(
                    current.changed(toll_free=free, phone_gateway=gateway),
                    account_limits(unit, room.account_id),
                    unit.now,
                )
                if edited:
                    settings.note_toll_free(free, gateway, actor.email, unit.now)
                    changed += sorted(edited)
            if found is None and not changed:
                unit.discard(settings)  # nothing to say: no stream for it
            state = settings_state(room, settings.language, actor.session)
            return Result(Outcome.DONE, state | {"changed": changed})

        return self.runner.run(command)

    def state(self, caller: Caller, room_id: UUID) -> Result:
        """The room's settings as the room shows them now."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            room = unit.get(Room, room_id, "room")
            language = current_language(unit, room_id, actor.session)
            return Result(Outcome.DONE, settings_state(room, language, actor.session))

        return self.runner.run(command)


def current_language(unit: UnitOfWork, room_id: UUID, session: int) -> str:
    """Session ``session``'s interface language (0: the one a new session starts with)."""
    found = unit.find(LiveSettings, LiveSettings.id_for(room_id, session)) if session else None
    return language_of(found, unit.find(RoomLanguage, RoomLanguage.id_for(room_id)))


def settings_state(room: Room, language: str, session: int) -> dict[str, Any]:
    current = room.settings
    return {
        "room_id": str(room.id),
        "session": session,
        "language": language,
        "toll_free": current.toll_free,
        "phone_gateway": current.phone_gateway,
        "warnings": warnings(str(current.access_type), current.phone_gateway),
    }
