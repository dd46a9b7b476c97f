"""Phone calls into a room, as the telephony provider reports them (decision 0019).

Four reports, each its own command on the call's stream (one per provider call id), each under
the provider's delivery id as its idempotency key, so a delivery retried does nothing twice:
- ``started``: who called which gateway number (toll-free or not);
- ``pin``: the PIN typed finds its room and role (``PhonePin``); the caller is admitted like
  any participant: an ``Admission`` on a seat of the session, so capacity holds and presence
  shows them; a wrong PIN counts, the third hangs up;
- ``digit``: a key of the dial-pad menu (``commands.live.dial_pad``), acting as the caller;
- ``ended``: the call is over; the caller leaves the session and their seat is given back.

Each answer says what the gateway should do next: ``actions``, a list of ``talk`` (text to
speak), ``input`` (collect a ``pin`` or one ``digit``), ``music`` (hold music on or off),
``mute`` and ``hangup``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from commands.join import Join
from commands.live.attendance import Attendance
from commands.live.dial_pad import DialPad, OnThePhone
from commands.rooms import PIN_ROLES, account_limits
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.access import AccessRefusedError, Role
from domain.admission import Admission, Seat, seat_kind
from domain.dial_in import digits_of, gateway_number
from domain.errors import InvalidRequestError, NotFoundError, RuleViolationError
from domain.live.calls import HELP, LISTENER, Call, Menu, PhonePin
from domain.live_session import LiveSession, RoomSessions, current_session
from domain.room import Room, RoomStatus

WELCOME = "Welcome to Podium. Enter the event's PIN, then press pound."


def talk(text: str) -> dict[str, Any]:
    return {"action": "talk", "text": text}


def collect(what: str) -> dict[str, Any]:
    return {"action": "input", "type": what}


HANGUP: dict[str, Any] = {"action": "hangup"}


def answer(call: Call, *actions: dict[str, Any], **extra: Any) -> Result:
    """The answer to a report on ``call``: what to do next, and the call as it stands."""
    room = call.room
    state = {
        "room_id": str(room.room_id) if room else None,
        "session": room.session if room else None,
        "role": room.role if room else None,
        "menu": str(call.menu),
        "muted": call.muted,
        "music": call.music,
    }
    return Result(
        Outcome.DONE,
        {"call_id": call.provider_call_id, "actions": list(actions), "state": state, **extra},
    )


def with_effect(result: Result, effect: object) -> Result:
    """``result``, to be read once what the room service wrote (``effect``) is read too."""
    if not isinstance(effect, Result) or effect.position is None:
        return result
    topics = (
        None if result.topics is None or effect.topics is None else result.topics | effect.topics
    )
    position = max(result.position or 0, effect.position)
    return replace(result, position=position, topics=topics)


def nickname(call: Call, role: str) -> str:
    """How a phone participant is listed: by role and the last digits of the number only."""
    return f"Phone {role} …{digits_of(call.caller)[-4:] or '????'}"


class DialIn:
    """The telephony webhook's commands."""

    def __init__(self, runner: CommandRunner, attendance: Attendance, pad: DialPad) -> None:
        self.runner, self.attendance, self.pad = runner, attendance, pad

    def started(self, call_id: str, caller: str, called: str, idem: Idempotency) -> Result:
        """A call reached a gateway number: ask for the PIN."""
        reached = gateway_number(called)
        if reached is None:
            raise InvalidRequestError(f"{called!r} is not a number of this phone gateway")
        number, toll_free = reached

        def command(unit: UnitOfWork) -> Result:
            call = unit.find(Call, Call.id_for(call_id))
            if call is None:  # a second "started" for one call (a new delivery id) adds nothing
                call = unit.add(Call(call_id, caller, number.value, toll_free, unit.now))
            return answer(call, talk(WELCOME), collect("pin"))

        return self.runner.run(command, idem)

    def pin(self, call_id: str, digits: str, idem: Idempotency) -> Result:
        """The PIN typed: into its room in its role, or told it opens nothing."""

        def command(unit: UnitOfWork) -> Result:
            call = unit.get(Call, Call.id_for(call_id), f"call {call_id}")
            if call.room is not None:
                raise RuleViolationError("this call is already in its room: press 0 for help")
            claim = unit.find(PhonePin, PhonePin.id_for(digits_of(digits)))
            room = unit.find(Room, claim.room_id) if claim is not None else None
            if claim is None or room is None or room.status == RoomStatus.DELETED:
                left = call.refuse_pin(unit.now)
                if not left:
                    return answer(call, talk("That PIN opens no event. Goodbye."), HANGUP)
                retry = f"That PIN opens no event; {left} tr{'ies' if left > 1 else 'y'} left."
                return answer(call, talk(retry), collect("pin"))
            return self._admit(unit, call, room, claim.role)

        return self.runner.run(command, idem)

    def _admit(self, unit: UnitOfWork, call: Call, room: Room, role: str) -> Result:
        """Let the call in as any participant: checks, a seat, an admission, the live slot."""
        settings = room.settings
        if room.status != RoomStatus.ACTIVE:
            raise AccessRefusedError("this event is not active")
        if not settings.phone_gateway:
            raise AccessRefusedError("this event has no phone dial-in")
        if call.toll_free and not settings.toll_free:
            raise AccessRefusedError(
                "this event offers no toll-free number: call one of its local numbers"
            )
        sessions = unit.find(RoomSessions, RoomSessions.id_for(room.id))
        if role == LISTENER:  # the join's rules: the room's lock, then the session's
            if room.locked:
                raise AccessRefusedError("the room is locked by its host")
            Join._check_session_lock(unit, room.id, sessions)
        limits = account_limits(unit, room.account_id)
        session = current_session(sessions)
        seat = Join._take_seat(unit, room, session, limits, Role(role), call.identity)
        unit.add(
            Admission(
                room.id, session, call.identity, nickname(call, role), role, seat, "phone", unit.now
            )
        )
        Join._hold_live_slot(unit, room, limits)
        call.join(room.id, session, role, unit.now)
        live = sessions is not None and sessions.live
        greeting = f"Welcome, {role}, to {settings.name}."
        if not live:
            greeting += " The event has not started yet: please wait."
        actions = [talk(greeting), talk(HELP[(role, Menu.MAIN)])]
        if not live:
            actions.append({"action": "music", "on": call.music})
        return answer(call, *actions, collect("digit"))

    def digit(self, call_id: str, digit: str, idem: Idempotency) -> Result:
        """A key pressed in the room: its action through the room's own services, then noted
        on the call. A retried delivery answers its first answer and does nothing again."""
        if (first := self.runner.recorded(idem)) is not None:
            return first
        call = self._call(call_id)
        where = call.in_room()
        session = self._session(where.room_id, where.session)
        if session is not None and not session.live:
            # Over for everyone (by key 9 or from the panel): nothing to do but say goodbye.
            return answer(call, talk("The event has ended. Goodbye."), HANGUP)
        pressed = self.pad.press(
            OnThePhone(
                caller=self.attendance.credential(where.room_id, where.session, where.email),
                room_id=where.room_id,
                session=where.session,
                role=where.role,
                email=where.email,
                nickname=nickname(call, where.role),
                menu=call.menu,
                muted=call.muted,
                music=call.music,
            ),
            digit,
        )

        def command(unit: UnitOfWork) -> Result:
            noted = unit.get(Call, call.id, "call")
            noted.press(digit, pressed.choice, pressed.menu, pressed.muted, pressed.music, unit.now)
            actions = [talk(pressed.say)]
            if pressed.choice == "mute":
                actions.append({"action": "mute", "on": pressed.muted})
            if pressed.choice == "music":
                actions.append({"action": "music", "on": pressed.music})
            actions.append(HANGUP if pressed.hang_up else collect("digit"))
            return answer(noted, *actions, choice=str(pressed.choice))

        return with_effect(self.runner.run(command, idem), pressed.effect)

    def ended(self, call_id: str, idem: Idempotency) -> Result:
        """The call is over: its participant leaves the session, the seat is given back."""

        def command(unit: UnitOfWork) -> Result:
            call = unit.get(Call, Call.id_for(call_id), f"call {call_id}")
            if call.end(unit.now) and call.room is not None:
                where = call.room
                admission = unit.find(
                    Admission, Admission.id_for(where.room_id, where.session, where.email)
                )
                seat = admission.leave(unit.now) if admission is not None else None
                if seat is not None:
                    kind = seat_kind(where.role)
                    held = unit.find(Seat, Seat.id_for(where.room_id, where.session, kind, seat))
                    if held is not None:
                        held.release(where.email, unit.now)
            return answer(call)

        return self.runner.run(command, idem)

    def claim_pins(self, room_id: UUID) -> Result:
        """Claim the PINs of a room scheduled before PINs were claimed (``podium
        claim-phone-pins``), so a caller's PIN finds it; a PIN another room claimed first is
        reported as ``taken`` and stays unclaimed (that room keeps it). Claiming twice changes
        nothing."""

        def command(unit: UnitOfWork) -> Result:
            room = unit.get(Room, room_id, "room")
            claimed, taken = [], []
            for name, role in PIN_ROLES.items():
                digits = str(room.secrets[name])
                claim = unit.find(PhonePin, PhonePin.id_for(digits))
                if claim is None:
                    unit.add(PhonePin(digits, room.id, role))
                    claimed.append(role)
                elif claim.room_id != room.id:
                    taken.append(role)
            return Result(
                Outcome.DONE, {"room_id": str(room.id), "claimed": claimed, "taken": taken}
            )

        return self.runner.run(command)

    def _call(self, call_id: str) -> Call:
        try:
            call = self.runner.store.load(Call.id_for(call_id))
        except AggregateNotFoundError:
            raise NotFoundError(f"call {call_id} not found: report call.started first") from None
        assert isinstance(call, Call)
        return call

    def _session(self, room_id: UUID, n: int) -> LiveSession | None:
        try:
            session = self.runner.store.load(LiveSession.id_for(room_id, n))
        except AggregateNotFoundError:
            return None
        return session if isinstance(session, LiveSession) else None
