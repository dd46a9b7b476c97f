"""Joining a room: who you are, whether you may, and in what role. Every refusal says why.

Checks, in order: the room is active and its account usable; the role (from an autologin hash
or a role link, else listener); for listeners the lock, the password, the token (one person
each), the registration; then the plan's limits on presenters and attendees (seats, see
``domain.admission``, keyed by the room's current session: see ``domain.live_session``) and
the account's concurrent live events (one, plus room sessions).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

import orjson

from commands.live.attendance import Attendance
from commands.ports import CountryLookup, DeviceReader
from commands.rooms import account_limits, owned_room
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.access import (
    AccessRefusedError,
    AccessToken,
    Registration,
    Role,
    WrongSecretError,
)
from domain.admission import Admission, LiveSlot, Seat
from domain.client import USER_AGENT_LIMIT, client_seen
from domain.errors import InvalidRequestError, LimitExceededError, NotFoundError
from domain.live_session import LiveSession, RoomSessions, current_session
from domain.plans import Limits
from domain.room import MEETING_MAX_ATTENDEES, AccessType, Room, RoomStatus, RoomType

PERMANENT_ROOM_SESSION = timedelta(hours=12)
# An autologin hash's mark for "made without the token this room needs: ask for it at entry".
TOKEN_AT_THE_DOOR = "token at the door"  # noqa: S105 - a mark, not a secret


def same(presented: str, expected: str) -> bool:
    """Constant-time equality of two strings; compare_digest refuses non-ASCII ``str``s (a
    password like "zażółć" would raise), so both are compared as UTF-8 bytes."""
    return hmac.compare_digest(presented.encode(), expected.encode())


@dataclass(frozen=True)
class JoinRequest:
    """What someone at the door presents."""

    nickname: str
    email: str
    password: str | None = None
    token: str | None = None
    registration_code: str | None = None
    role_hash: str | None = None
    autologin: str | None = None
    user_agent: str = ""
    ip: str = ""
    country: str | None = None  # the client's own hint (ISO 3166-1 alpha-2), wins over the IP


class Join:
    """The door of every room."""

    def __init__(
        self,
        runner: CommandRunner,
        secret: str,
        room_url: Callable[[Room], str],
        devices: DeviceReader,
        countries: CountryLookup,
    ) -> None:
        self.runner = runner
        self.devices, self.countries = devices, countries
        self._key = hashlib.sha256(f"autologin:{secret}".encode()).digest()
        self.room_url = room_url
        self.attendance = Attendance(secret)

    # ---- autologin hashes: signed, so they need no storage --------------------------------

    def autologin_hash(
        self,
        account_id: UUID,
        room_id: UUID,
        email: str,
        nickname: str,
        role: str,
        password: str | None = None,
        token: str | None = None,
    ) -> Result:
        """A hash that lets one person in as ``role``; password/token are checked now.

        A listener's hash for a token room may be made without a token (ClickMeeting's own
        example asks for one so): it then says so, and the door asks for the token.
        """
        try:
            wanted = Role(role)
        except ValueError:
            raise InvalidRequestError("role must be listener, presenter or host") from None

        def command(unit: UnitOfWork) -> Result:
            room = owned_room(unit, account_id, room_id)
            checked = "checked"
            if wanted == Role.LISTENER:
                if room.settings.access_type == AccessType.TOKEN and not token:
                    checked = TOKEN_AT_THE_DOOR
                else:
                    self._check_secret(unit, room, email, password, token)
            payload = orjson.dumps([room.id.hex, email.lower(), nickname, str(wanted), checked])
            body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
            mac = hmac.new(self._key, body.encode(), "sha256").hexdigest()[:32]
            return Result(Outcome.DONE, {"autologin_hash": f"{body}.{mac}"})

        return self.runner.run(command)

    def _read_autologin(self, room: Room, value: str) -> tuple[str, str, Role, str]:
        """Who the hash names, and how they are admitted: "autologin" when the hash stands on its
        own, "" when the room's token must still be presented at the door."""
        body, _, mac = value.partition(".")
        expected = hmac.new(self._key, body.encode(), "sha256").hexdigest()[:32]
        if not same(mac, expected):
            raise WrongSecretError("the autologin link is not valid")
        # Hashes made before the fifth member existed were all checked when they were made.
        room_hex, email, nickname, role, *checked = orjson.loads(
            base64.urlsafe_b64decode(body + "==")
        )
        if room_hex != room.id.hex:
            raise AccessRefusedError("the autologin link is for another room")
        at_the_door = checked == [TOKEN_AT_THE_DOOR]
        via = "" if at_the_door and room.settings.access_type == AccessType.TOKEN else "autologin"
        return email, nickname, Role(role), via

    # ---- joining -------------------------------------------------------------------------

    def client(self, request: JoinRequest) -> dict[str, str]:
        """What the join event records of the client: derived now, once, so that a rebuild of
        the attendance read model gives the same answer the live one did (decision 0027)."""
        user_agent = request.user_agent[:USER_AGENT_LIMIT]  # what is kept is what is parsed
        return client_seen(
            user_agent,
            request.ip,
            self.devices.read(user_agent),
            self.countries.country(request.ip) if request.ip else None,
            request.country,
        )

    def admit(self, room_id: UUID, request: JoinRequest) -> Result:
        client = self.client(request)  # outside the command: parsing is no part of a retry

        def command(unit: UnitOfWork) -> Result:
            room = unit.find(Room, room_id)
            if room is None or room.status == RoomStatus.DELETED:
                raise NotFoundError("room not found")
            if room.status != RoomStatus.ACTIVE:
                raise AccessRefusedError("this event is not active")
            limits = account_limits(unit, room.account_id)
            email, nickname, role, via = self._identify(room, request)
            if role == Role.LISTENER:
                if room.locked:
                    raise AccessRefusedError("the room is locked by its host")
                if via != "autologin":
                    via = self._check_secret(
                        unit, room, email, request.password, request.token
                    ) or self._check_registration(unit, room, email, request.registration_code)
            # Read, never written by a join: the session it enters (its lobby before the start).
            sessions = unit.find(RoomSessions, RoomSessions.id_for(room.id))
            session = current_session(sessions)
            admission = unit.find(Admission, Admission.id_for(room.id, session, email))
            if role == Role.LISTENER and (admission is None or not admission.present):
                self._check_session_lock(unit, room.id, sessions)
            if admission is None:
                seat = self._take_seat(unit, room, session, limits, role, email)
                admission = unit.add(
                    Admission(
                        room.id,
                        session,
                        email,
                        nickname,
                        str(role),
                        seat,
                        via or "open",
                        unit.now,
                        client,
                    )
                )
            elif admission.present:
                admission.come_back(unit.now, client)
            else:
                role = Role(admission.role)
                admission.reenter(
                    self._take_seat(unit, room, session, limits, role, email), unit.now, client
                )
            self._hold_live_slot(unit, room, limits)
            return Result(
                Outcome.DONE,
                {
                    "room_id": str(room.id),
                    "role": admission.role,
                    "nickname": admission.nickname,
                    "seat": admission.seat,
                    "session": session,
                    "credential": self.attendance.credential(room.id, session, admission.email),
                    "room_url": self.room_url(room),
                    "lobby": room.settings.lobby_enabled,
                },
            )

        return self.runner.run(command)

    @staticmethod
    def _check_session_lock(unit: UnitOfWork, room_id: UUID, sessions: RoomSessions | None) -> None:
        """A locked session lets no listener in (decision 0016); who is in may reconnect."""
        if sessions is None or not sessions.live:
            return
        live = unit.find(LiveSession, LiveSession.id_for(room_id, sessions.current))
        if live is not None and live.locked:
            raise AccessRefusedError("the session is locked: only presenters may enter now")

    def _identify(self, room: Room, request: JoinRequest) -> tuple[str, str, Role, str]:
        if request.autologin:
            return self._read_autologin(room, request.autologin)
        email = request.email.strip().lower()
        if not email or not request.nickname.strip():
            raise InvalidRequestError("say who you are: nickname and email")
        if request.role_hash:
            for role, value in room.secrets["role_hashes"].items():
                if same(request.role_hash, value):
                    return email, request.nickname, Role(role), "role link"
            raise WrongSecretError("the role link is not valid for this room")
        return email, request.nickname, Role.LISTENER, ""

    @staticmethod
    def _check_secret(
        unit: UnitOfWork, room: Room, email: str, password: str | None, token: str | None
    ) -> str:
        settings = room.settings
        if settings.access_type == AccessType.PASSWORD:
            if not password or not same(password, settings.password or ""):
                raise WrongSecretError("wrong or missing password for this event")
            return "password"
        if settings.access_type == AccessType.TOKEN:
            if not token:
                raise AccessRefusedError("this event needs an access token")
            found = unit.find(AccessToken, AccessToken.id_for(room.id, token))
            if found is None:
                raise WrongSecretError("this access token is not valid for this event")
            found.use(email, unit.now)
            return "token"
        return ""

    @staticmethod
    def _check_registration(unit: UnitOfWork, room: Room, email: str, code: str | None) -> str:
        if not room.settings.registration_enabled:
            return ""
        registration = unit.find(Registration, Registration.id_for(room.id, email))
        if registration is None or not registration.active:
            raise AccessRefusedError("this event needs registration: register first")
        if code is not None and not same(code, registration.code):
            raise WrongSecretError("the registration link does not match this email")
        return "registration"

    @staticmethod
    def _take_seat(
        unit: UnitOfWork, room: Room, session: int, limits: Limits, role: Role, email: str
    ) -> int:
        """The session's first free seat from a place that depends on the email (spreads the
        probes); a seat given back by someone who left is free again."""
        settings = room.settings
        if role == Role.LISTENER:
            kind, capacity = "attendee", limits.max_attendees
            if settings.room_type == RoomType.MEETING:
                capacity = min(capacity, MEETING_MAX_ATTENDEES, limits.max_meeting_attendees)
            if settings.attendee_limit:
                capacity = min(capacity, settings.attendee_limit)
            full = f"the event is full: {capacity} attendees at most"
        else:
            kind, capacity = "presenter", limits.presenters
            full = f"the plan allows {capacity} presenters at once; all are taken"
        start = int(hashlib.sha256(email.encode()).hexdigest(), 16) % capacity
        for step in range(capacity):
            n = (start + step) % capacity + 1
            seat_id = Seat.id_for(room.id, session, kind, n)
            seat = unit.find(Seat, seat_id)
            if seat is None:
                unit.add(Seat(room.id, session, kind, n, email))
                return n
            if seat.free:
                seat.take(email)
                return n
        raise LimitExceededError(full)

    @staticmethod
    def _hold_live_slot(unit: UnitOfWork, room: Room, limits: Limits) -> None:
        """An account runs one event at a time, plus one per room session bought."""
        slots = []
        for n in range(1, limits.room_sessions + 1):
            slot = unit.find(LiveSlot, LiveSlot.id_for(room.account_id, n))
            if slot is None:
                slot = unit.add(LiveSlot(room.account_id, n))
            if slot.holds(room.id, unit.now):
                return
            slots.append(slot)
        free = next((slot for slot in slots if slot.is_free(unit.now)), None)
        if free is None:
            raise LimitExceededError(
                "another event of this account is live; add room sessions to run more at once"
            )
        ends = room.settings.ends_at
        until = ends if ends and ends > unit.now else unit.now + PERMANENT_ROOM_SESSION
        free.take(room.id, until, unit.now)
