"""Running a room's sessions: start one, end it for all, and let a person leave (decision 0012).

Start and end write the room's ``RoomSessions`` and the session's ``LiveSession`` stream, at
presenter speed. Leaving writes only the person's admission and their seat. All three are
idempotent: starting a live session, ending when none is live, or leaving twice changes nothing.

Leaving is proved by the attendance credential the join hands back: it names the room, the
session and the person, signed with the deployment secret, so it needs no storage.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any
from uuid import UUID

import orjson

from commands.rooms import owned_room
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.access import WrongSecretError
from domain.admission import Admission, Seat, seat_kind
from domain.errors import NotFoundError, RuleViolationError
from domain.live_session import ENDED_FOR_ALL, LiveSession, RoomSessions
from domain.room import RoomStatus

MAC_DIGITS = 32


class Attendance:
    """Signs and reads the credential that lets a joined person leave their session."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(f"attendance:{secret}".encode()).digest()

    def credential(self, room_id: UUID, session: int, email: str) -> str:
        payload = orjson.dumps([room_id.hex, session, email])
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self._mac(body)}"

    def read(self, room_id: UUID, credential: str) -> tuple[int, str]:
        """The (session, email) a credential names; refused if forged or for another room."""
        body, _, mac = credential.partition(".")
        if not hmac.compare_digest(mac.encode(), self._mac(body).encode()):
            raise WrongSecretError("the attendance credential is not valid")
        room_hex, session, email = orjson.loads(base64.urlsafe_b64decode(body + "=="))
        if room_hex != room_id.hex:
            raise WrongSecretError("the attendance credential is for another room")
        return int(session), str(email)

    def _mac(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), "sha256").hexdigest()[:MAC_DIGITS]


def session_answer(
    room_id: UUID, sessions: RoomSessions | None, live: LiveSession | None
) -> Result:
    body: dict[str, Any] = {
        "room_id": str(room_id),
        "session": live.n if live is not None else (sessions.current if sessions else 1),
        "live": live is not None and live.live,
        "started_at": live.started_at.isoformat() if live is not None else None,
        "ended_at": live.ended_at.isoformat() if live and live.ended_at else None,
        "ended_how": live.ended_how if live is not None else None,
    }
    return Result(Outcome.DONE, body)


class Live:
    """Start and end a room's sessions; leave one."""

    def __init__(self, runner: CommandRunner, attendance: Attendance) -> None:
        self.runner = runner
        self.attendance = attendance

    def start(self, account_id: UUID, room_id: UUID, by: str) -> Result:
        """Start the room's current session (the one its lobby holds); a live one stays as is."""

        def command(unit: UnitOfWork) -> Result:
            room = owned_room(unit, account_id, room_id)
            if room.status != RoomStatus.ACTIVE:
                raise RuleViolationError("this event is not active: activate it to start it")
            sessions = unit.find(RoomSessions, RoomSessions.id_for(room.id))
            if sessions is None:
                sessions = unit.add(RoomSessions(room.id))
            live_id = LiveSession.id_for(room.id, sessions.current)
            if sessions.start():
                live = unit.add(LiveSession(room.id, sessions.current, by, unit.now))
            else:
                live = unit.get(LiveSession, live_id)
            return session_answer(room.id, sessions, live)

        return self.runner.run(command)

    def end(self, account_id: UUID, room_id: UUID, how: str = ENDED_FOR_ALL) -> Result:
        """End the live session for all; joins then enter the next one's lobby, with all its
        seats free. With no live session, nothing changes and the last one is described."""

        def command(unit: UnitOfWork) -> Result:
            room = owned_room(unit, account_id, room_id)
            sessions = unit.find(RoomSessions, RoomSessions.id_for(room.id))
            if sessions is None:
                return session_answer(room.id, None, None)
            n = sessions.current
            if sessions.end():
                live = unit.get(LiveSession, LiveSession.id_for(room.id, n))
                live.end(how, unit.now)
                return session_answer(room.id, sessions, live)
            last = unit.find(LiveSession, LiveSession.id_for(room.id, n - 1))
            return session_answer(room.id, sessions, last)

        return self.runner.run(command)

    def leave(self, room_id: UUID, credential: str) -> Result:
        """Leave the session the credential names: the seat is given back for the next person."""
        session, email = self.attendance.read(room_id, credential)

        def command(unit: UnitOfWork) -> Result:
            admission = unit.find(Admission, Admission.id_for(room_id, session, email))
            if admission is None:
                raise NotFoundError("no such admission")
            seat = admission.leave(unit.now)
            if seat is not None:
                kind = seat_kind(admission.role)
                held = unit.find(Seat, Seat.id_for(room_id, session, kind, seat))
                if held is not None:
                    held.release(email, unit.now)
            return Result(
                Outcome.DONE,
                {"room_id": str(room_id), "session": session, "left": True, "seat": seat},
            )

        return self.runner.run(command)
