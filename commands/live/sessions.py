"""Running a room's sessions (decisions 0012, 0016): start, lobby, lock, invite, end, leave.

Start, lock and end write the room's ``RoomSessions`` and the session's ``LiveSession`` stream,
at presenter speed; a host (API key) or a presenter (attendance credential) may do each, a
listener is refused with a 403 that says what. Leaving writes only the person's admission and
their seat. All are idempotent: starting a live session, locking a locked one, ending when none
is live, or leaving twice changes nothing.

Two ways out: a person (the host too) *leaves*, and the session stays open for everyone else;
*ending* closes it for all, and its ``Ended`` event names the thank-you page room clients send
everyone to. A session nobody is in any more ends by itself (``Reactions.end_left_empty``,
issued by the ``end_empty_sessions`` policy once the room's grace period has passed).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.access import Access
from commands.live.actors import Actor, Actors, Caller, require_presenter
from commands.live.attendance import Attendance
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.access import Role
from domain.admission import Admission, Seat, seat_kind
from domain.errors import InvalidRequestError, NotFoundError, RuleViolationError
from domain.live_session import ENDED_FOR_ALL, LiveSession, RoomSessions
from domain.room import Room, RoomStatus

__all__ = ["Attendance", "Live", "end_session", "session_answer"]

IN_LOBBY, IN_ROOM, ENDED = "lobby", "room", "ended"


def session_answer(
    room_id: UUID, sessions: RoomSessions | None, live: LiveSession | None
) -> Result:
    body: dict[str, Any] = {
        "room_id": str(room_id),
        "session": live.n if live is not None else (sessions.current if sessions else 1),
        "live": live is not None and live.live,
        "locked": live is not None and live.live and live.locked,
        "started_at": live.started_at.isoformat() if live is not None else None,
        "ended_at": live.ended_at.isoformat() if live and live.ended_at else None,
        "ended_how": live.ended_how if live is not None else None,
        "thank_you_page_url": live.thank_you_page_url if live is not None else None,
    }
    return Result(Outcome.DONE, body)


def end_session(
    unit: UnitOfWork, room: Room, sessions: RoomSessions, how: str, by: str
) -> LiveSession | None:
    """End the room's live session for all (its seats are then free: the next session's are
    other streams); None when none was live."""
    n = sessions.current
    if not sessions.end():
        return None
    live = unit.get(LiveSession, LiveSession.id_for(room.id, n))
    live.end(how, unit.now, by, room.settings.thank_you_page_url)
    return live


class Live:
    """Start, lock and end a room's sessions; say where a participant is; invite; leave."""

    def __init__(
        self, runner: CommandRunner, attendance: Attendance, actors: Actors, access: Access
    ) -> None:
        self.runner = runner
        self.attendance = attendance
        self.actors = actors
        self.access = access

    def _presenter(self, unit: UnitOfWork, caller: Caller, room_id: UUID, what: str) -> Actor:
        actor = self.actors.resolve(unit, room_id, caller)
        require_presenter(actor, what)
        return actor

    def start(self, caller: Caller, room_id: UUID) -> Result:
        """Start the room's current session (the one its lobby holds): the lobby's attendees are
        in the room. A live session stays as it is."""

        def command(unit: UnitOfWork) -> Result:
            actor = self._presenter(unit, caller, room_id, "start the event")
            room = unit.get(Room, room_id, "room")
            if room.status != RoomStatus.ACTIVE:
                raise RuleViolationError("this event is not active: activate it to start it")
            sessions = unit.find(RoomSessions, RoomSessions.id_for(room.id))
            if sessions is None:
                sessions = unit.add(RoomSessions(room.id))
            if actor.session != sessions.current:
                raise RuleViolationError("your credential is for an ended session: join again")
            if sessions.start():
                live = unit.add(LiveSession(room.id, sessions.current, actor.email, unit.now))
            else:
                live = unit.get(LiveSession, LiveSession.id_for(room.id, sessions.current))
            return session_answer(room.id, sessions, live)

        return self.runner.run(command)

    def end(self, caller: Caller, room_id: UUID) -> Result:
        """End the live session for all: everyone is sent to the thank-you page, joins enter the
        next one's lobby with all its seats free. With none live, nothing changes and the last
        one (the caller's, for a participant) is described."""

        def command(unit: UnitOfWork) -> Result:
            actor = self._presenter(unit, caller, room_id, "end the session")
            room = unit.get(Room, room_id, "room")
            sessions = unit.find(RoomSessions, RoomSessions.id_for(room.id))
            if sessions is None:
                return session_answer(room.id, None, None)
            if sessions.live and sessions.current == actor.session:
                ended = end_session(unit, room, sessions, ENDED_FOR_ALL, actor.email)
                return session_answer(room.id, sessions, ended)
            last = actor.session if actor.session < sessions.current else sessions.current - 1
            return session_answer(
                room.id, sessions, unit.find(LiveSession, LiveSession.id_for(room.id, last))
            )

        return self.runner.run(command)

    def set_lock(self, caller: Caller, room_id: UUID, locked: bool) -> Result:
        """Lock the running session (only hosts and presenters may enter; who is in stays in)
        or unlock it. Locking a locked session changes nothing."""

        def command(unit: UnitOfWork) -> Result:
            actor = self._presenter(unit, caller, room_id, "lock or unlock the room")
            live = unit.find(LiveSession, LiveSession.id_for(room_id, actor.session))
            if live is None:
                raise RuleViolationError("the event has not started yet: start it to lock it")
            live.set_locked(locked, actor.email, unit.now)
            return session_answer(room_id, None, live)

        return self.runner.run(command)

    def place(self, caller: Caller, room_id: UUID) -> Result:
        """Where the caller is: in the lobby (an attendee before the start, with the lobby's
        message and agenda), in the room (presenters may enter before the start), or out of an
        ended session (with the thank-you page to go to)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            room = unit.get(Room, room_id, "room")
            live = unit.find(LiveSession, LiveSession.id_for(room_id, actor.session))
            if live is not None and not live.live:
                where = ENDED
            elif live is None and not actor.presents:
                where = IN_LOBBY
            else:
                where = IN_ROOM
            settings = room.settings
            body = session_answer(room_id, None, live).body | {
                "session": actor.session,
                "where": where,
                "role": str(actor.role),
                "nickname": actor.nickname,
                "name": settings.name,
                "starts_at": settings.starts_at.isoformat() if settings.starts_at else None,
                "lobby": {"message": settings.lobby_description, "agenda": settings.agenda},
            }
            return Result(Outcome.DONE, body)

        return self.runner.run(command)

    def invite(
        self, caller: Caller, room_id: UUID, emails: list[str], role: str, lang: str
    ) -> Result:
        """The Attendee List's Invite: a host or presenter sends the room's invitation mail (the
        same as the panel's) to ``emails`` from inside the room."""
        if role not in (Role.LISTENER, Role.PRESENTER):
            raise InvalidRequestError("role must be listener or presenter")

        def command(unit: UnitOfWork) -> Result:
            self._presenter(unit, caller, room_id, "invite people")
            room = unit.get(Room, room_id, "room")
            invitees = list(dict.fromkeys(e.strip().lower() for e in emails))
            self.access.invite_into(unit, room, invitees, role, lang, "basic")
            return Result(
                Outcome.DONE, {"room_id": str(room_id), "invited": invitees, "role": role}
            )

        return self.runner.run(command)

    def leave(self, room_id: UUID, credential: str) -> Result:
        """Leave the session the credential names ("exit myself", the host too): the seat is
        given back for the next person, and the session goes on for everyone else."""
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

    def rate(self, room_id: UUID, credential: str, rating: int, comment: str | None) -> Result:
        """The rating and comment the person the credential names gives the session at exit
        (or after: the credential keeps naming them); rating again replaces it."""
        session, email = self.attendance.read(room_id, credential)

        def command(unit: UnitOfWork) -> Result:
            admission = unit.find(Admission, Admission.id_for(room_id, session, email))
            if admission is None:
                raise NotFoundError("no such admission")
            admission.rate(rating, comment, unit.now)
            return Result(
                Outcome.DONE,
                {
                    "room_id": str(room_id),
                    "session": session,
                    "rating": admission.rating,
                    "comment": admission.rating_comment,
                },
            )

        return self.runner.run(command)
