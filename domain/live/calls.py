"""Dial-in: phone calls into a room, their PINs and the dial-pad menus (issue 8, section 5).

- ``PhonePin``: a claim on one PIN (id derived from its digits), made when a room is scheduled,
  naming the room and the role (presenter or listener) the PIN lets in. A caller types only
  the PIN, so it must find one room; two rooms can never claim one PIN (they would write
  version 1 of the same stream). See decision 0019.
- ``Call``: one phone call, its own stream per provider call id: dialled (who called which
  gateway number, toll-free or not), PIN refused, joined (which room, session and role, and
  the admission's identity), each key pressed with the state it left, ended. A call is not a
  room stream until it has a room, and its caller number is personal: room clients see a phone
  participant through their admission (presence), never the call.
- The menus, exactly as the help centre lists them: ``choose`` says what a key means for a
  role in a menu, and refuses a key the menu does not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, RuleViolationError
from domain.ids import derived_id

MAX_PIN_TRIES = 3  # then the call is hung up: a PIN is six digits, not a password to guess at
PRESENTER, LISTENER = "presenter", "listener"
DIAL_PAD = frozenset("0123456789*#")


class Menu(StrEnum):
    MAIN = "main"
    AUDIO = "audio"  # the presenter's audio-mode submenu (key 2)


class Choice(StrEnum):
    """What a key asks for."""

    COUNT = "count"  # how many take part
    HELP = "help"
    MUTE = "mute"  # mute or unmute oneself
    AUDIO_MENU = "audio_menu"
    MUSIC = "music"  # hold music on or off while waiting
    START = "start"  # move participants into the room and start the event
    LOCK = "lock"  # lock or unlock
    END = "end"  # end the event and disconnect all
    ASK = "ask"  # ask a question
    LISTEN_ONLY = "listen_only"
    DISCUSSION = "discussion"
    PRESENTERS_ONLY = "presenters_only"


MENUS: dict[tuple[str, Menu], dict[str, Choice]] = {
    (PRESENTER, Menu.MAIN): {
        "#": Choice.COUNT,
        "0": Choice.HELP,
        "1": Choice.MUTE,
        "2": Choice.AUDIO_MENU,
        "4": Choice.MUSIC,
        "7": Choice.START,
        "8": Choice.LOCK,
        "9": Choice.END,
    },
    (PRESENTER, Menu.AUDIO): {
        "1": Choice.LISTEN_ONLY,
        "2": Choice.DISCUSSION,
        "4": Choice.PRESENTERS_ONLY,
    },
    (LISTENER, Menu.MAIN): {"0": Choice.HELP, "1": Choice.MUTE, "4": Choice.MUSIC, "5": Choice.ASK},
}

HELP = {
    (PRESENTER, Menu.MAIN): (
        "Press pound for the number of participants, 1 to mute or unmute, 2 for the audio mode, "
        "4 for music while waiting, 7 to start the event, 8 to lock or unlock the room, "
        "9 to end the event for everyone, 0 to hear this again."
    ),
    (PRESENTER, Menu.AUDIO): (
        "Audio mode: press 1 for listen only, 2 for discussion, 4 for presenters only."
    ),
    (LISTENER, Menu.MAIN): (
        "Press 1 to mute or unmute, 4 for music while waiting, 5 to ask a question, "
        "0 to hear this again."
    ),
}


class UnknownDigitError(InvalidRequestError):
    """A key the caller's menu does not have: nothing happens."""


def choose(role: str, menu: Menu, digit: str) -> Choice:
    """What ``digit`` asks for in ``menu`` for ``role``; refused, saying why, if nothing."""
    if len(digit) != 1 or digit not in DIAL_PAD:
        raise UnknownDigitError(f"{digit!r} is not a key of the dial pad (0-9, * or #)")
    choice = MENUS[(role, menu)].get(digit)
    if choice is None:
        keys = ", ".join(sorted(MENUS[(role, menu)]))
        raise UnknownDigitError(
            f"key {digit} does nothing in the {role}'s {menu} menu; its keys are {keys}. "
            + HELP[(role, menu)]
        )
    return choice


class CallOverError(RuleViolationError):
    """The call (or its event) is over: there is nothing left to do but hang up."""


class PinFirstError(RuleViolationError):
    """A key pressed before the PIN let the call into a room."""


class PhonePin(CheapCopy, Aggregate):
    """PIN ``digits`` belongs to one room, for one role."""

    class Claimed(Aggregate.Created):
        digits: str
        room_id: UUID
        role: str

    @staticmethod
    def create_id(digits: str, room_id: UUID, role: str) -> UUID:
        return PhonePin.id_for(digits)

    @staticmethod
    def id_for(digits: str) -> UUID:
        return derived_id("phone-pin", digits.strip())

    @event(Claimed)
    def __init__(self, digits: str, room_id: UUID, role: str) -> None:
        self.digits, self.room_id, self.role = digits, room_id, role


@dataclass(frozen=True)
class InRoom:
    """Where a call is once its PIN was accepted."""

    room_id: UUID
    session: int
    role: str
    email: str  # the admission's identity (no "@": a phone has no mailbox)


class Call(CheapCopy, Aggregate):
    """One phone call through the gateway, from dialling to hanging up."""

    class Dialled(Aggregate.Created):
        provider_call_id: str
        caller: str
        gateway: str
        toll_free: bool
        at: datetime

    class PinRefused(Aggregate.Event):
        at: datetime

    class Joined(Aggregate.Event):
        room_id: UUID
        session: int
        role: str
        email: str
        at: datetime

    class Pressed(Aggregate.Event):
        digit: str
        choice: str
        menu: str  # the menu the key left the caller in
        muted: bool
        music: bool
        at: datetime

    class Ended(Aggregate.Event):
        at: datetime

    @staticmethod
    def create_id(
        provider_call_id: str, caller: str, gateway: str, toll_free: bool, at: datetime
    ) -> UUID:
        return Call.id_for(provider_call_id)

    @staticmethod
    def id_for(provider_call_id: str) -> UUID:
        return derived_id("phone-call", provider_call_id)

    @event(Dialled)
    def __init__(
        self, provider_call_id: str, caller: str, gateway: str, toll_free: bool, at: datetime
    ) -> None:
        self.provider_call_id, self.caller, self.gateway = provider_call_id, caller, gateway
        self.toll_free, self.started_at = toll_free, at
        self.ended_at: datetime | None = None
        self.pin_tries = 0
        self.room: InRoom | None = None
        self.menu = Menu.MAIN
        self.muted = False
        self.music = True  # hold music plays while waiting, until the caller turns it off

    @property
    def identity(self) -> str:
        """Who the call is in a room's admissions: one person per call, never mailed."""
        return f"phone-{self.id.hex[:16]}"

    def _require_open(self) -> None:
        if self.ended_at is not None:
            raise CallOverError("this call has ended")

    def refuse_pin(self, at: datetime) -> int:
        """A PIN that opens nothing; returns the tries left (0: hang up)."""
        self._require_open()
        self._pin_refused(at)
        return max(MAX_PIN_TRIES - self.pin_tries, 0)

    @event(PinRefused)
    def _pin_refused(self, at: datetime) -> None:
        self.pin_tries += 1

    def join(self, room_id: UUID, session: int, role: str, at: datetime) -> None:
        self._require_open()
        if self.room is not None:
            raise RuleViolationError("this call is already in its room: press 0 for help")
        self._joined(room_id, session, role, self.identity, at)

    @event(Joined)
    def _joined(self, room_id: UUID, session: int, role: str, email: str, at: datetime) -> None:
        self.room = InRoom(room_id, session, role, email)

    def in_room(self) -> InRoom:
        """The room the call is in; refused before its PIN was accepted."""
        self._require_open()
        if self.room is None:
            raise PinFirstError("enter the event's PIN first, then press keys")
        return self.room

    def press(
        self, digit: str, choice: Choice, menu: Menu, muted: bool, music: bool, at: datetime
    ) -> None:
        """Note a key that did what it asked, and the state it left the call in."""
        self._pressed(digit, str(choice), str(menu), muted, music, at)

    @event(Pressed)
    def _pressed(
        self, digit: str, choice: str, menu: str, muted: bool, music: bool, at: datetime
    ) -> None:
        self.menu, self.muted, self.music = Menu(menu), muted, music

    def end(self, at: datetime) -> bool:
        """The caller hung up (or was disconnected); False if it had ended already."""
        if self.ended_at is not None:
            return False
        self._ended(at)
        return True

    @event(Ended)
    def _ended(self, at: datetime) -> None:
        self.ended_at = at
