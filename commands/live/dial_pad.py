"""What a key pressed on a phone does in the room (issue 8, section 5).

The room actions belong to other concerns' services (the session's start, end and lock; the
audio mode and mutes; questions). The dial pad reaches them through ``RoomControls``, a port of
exactly the methods it needs, acting as the phone participant (their attendance credential, a
``Caller``), so the rules of who may do what are those services' own. ``RoomReadings`` answers
the two questions a key asks of the room: how many take part, and whether it is locked.

Every value a toggle sends is explicit (mute *true*, lock *false*), computed from the state
before the key, so an action repeated after a crash (before the key was noted) changes nothing
more; only a question asked twice would show twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from commands.live.actors import Caller
from domain.live.calls import HELP, Choice, Menu, choose

MODES = {
    Choice.LISTEN_ONLY: (
        "listen_only",
        "Listen only: presenters speak, and all participants are muted.",
    ),
    Choice.DISCUSSION: ("discussion", "Discussion: everyone may speak."),
    Choice.PRESENTERS_ONLY: (
        "presenters_only",
        "Presenters only: presenters hear each other, participants hear nothing.",
    ),
}


class RoomControls(Protocol):
    """The room actions a key may trigger, as other concerns' services offer them."""

    def start(self, caller: Caller, room_id: UUID) -> object: ...

    def end(self, caller: Caller, room_id: UUID) -> object: ...

    def set_lock(self, caller: Caller, room_id: UUID, locked: bool) -> object: ...

    def set_mode(self, caller: Caller, room_id: UUID, mode: str) -> object: ...

    def mute(self, caller: Caller, room_id: UUID, email: str, muted: bool) -> object: ...

    def ask(self, caller: Caller, room_id: UUID, text: str) -> object: ...


class RoomReadings(Protocol):
    """What a key needs to know about the room."""

    def participants(self, room_id: UUID, session: int) -> int: ...

    def locked(self, room_id: UUID, session: int) -> bool: ...

    def muted(self, caller: Caller, room_id: UUID) -> bool | None:
        """The caller's microphone as the audio service has it; None: it cannot say."""
        ...


@dataclass(frozen=True)
class OnThePhone:
    """A call in its room, as a key finds it."""

    caller: Caller  # the phone participant's attendance credential
    room_id: UUID
    session: int
    role: str
    email: str
    nickname: str
    menu: Menu
    muted: bool
    music: bool


@dataclass(frozen=True)
class Pressed:
    """What a key did: the state it leaves the call in, what to say, and whether to hang up."""

    choice: Choice
    menu: Menu
    muted: bool
    music: bool
    say: str
    hang_up: bool = False
    effect: object = None  # what the room service answered (a ``Result``: what it wrote)


class DialPad:
    """Turns a key into the room action it stands for (refusing a key the menu lacks)."""

    def __init__(self, controls: RoomControls, readings: RoomReadings) -> None:
        self.controls, self.readings = controls, readings

    def press(self, call: OnThePhone, digit: str) -> Pressed:
        """Do what ``digit`` means for ``call``; an unknown key raises ``UnknownDigitError``
        and a refused action the service's error, and neither changes anything."""
        choice = choose(call.role, call.menu, digit)
        menu, muted, music = Menu.MAIN, call.muted, call.music
        room, who, effect = call.room_id, call.caller, None
        if choice == Choice.COUNT:
            n = self.readings.participants(room, call.session)
            say = f"{n} participant{'s are' if n != 1 else ' is'} in the event."
        elif choice == Choice.HELP:
            menu, say = call.menu, HELP[(call.role, call.menu)]
        elif choice == Choice.MUTE:
            # The audio service's word first: a presenter's mode change may have muted us.
            now = self.readings.muted(who, room)
            muted = not (call.muted if now is None else now)
            effect = self.controls.mute(who, room, call.email, muted)
            say = "You are muted." if muted else "You are unmuted: you may speak."
        elif choice == Choice.AUDIO_MENU:
            menu, say = Menu.AUDIO, HELP[(call.role, Menu.AUDIO)]
        elif choice == Choice.MUSIC:
            music = not call.music
            say = "Music on while you wait." if music else "Music off."
        elif choice == Choice.START:
            effect = self.controls.start(who, room)
            say = "The event has started: everyone waiting is in the room."
        elif choice == Choice.LOCK:
            locked = not self.readings.locked(room, call.session)
            effect = self.controls.set_lock(who, room, locked)
            say = "The room is locked." if locked else "The room is unlocked."
        elif choice == Choice.END:
            effect = self.controls.end(who, room)
            return Pressed(
                choice, menu, muted, music, "The event has ended. Goodbye.", True, effect
            )
        elif choice == Choice.ASK:
            effect = self.controls.ask(who, room, f"{call.nickname} asks a question by phone")
            say = "Your question is with the presenters."
        else:
            mode, say = MODES[choice]
            effect = self.controls.set_mode(who, room, mode)
        return Pressed(choice, menu, muted, music, say, effect=effect)
