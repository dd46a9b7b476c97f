"""Who acts in a live room, and in what role (decision 0014).

Two ways in, one ``Actor`` out:
- a participant presents the attendance credential their join answered with; it names the
  room, the session and the person, and the admission (their own stream) gives the role;
- the account's owner or member acts with their API key as the room's host, in the session
  the room runs now (or the one its lobby holds).

Each room command takes an ``Actor`` and checks what that role may do with ``require_presenter``
and friends, so the rule "only a host or presenter may ..." is written once.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from commands.accounts import Principal
from commands.errors import PermissionDeniedError
from commands.live.attendance import Attendance
from commands.rooms import owned_room
from commands.unit_of_work import CommandRunner, UnitOfWork
from domain.access import Role, WrongSecretError
from domain.admission import Admission
from domain.errors import RuleViolationError
from domain.live_session import LiveSession, RoomSessions, current_session
from domain.login import Login

# Who calls a room command: an API key's principal (the host) or an attendance credential.
Caller = Principal | str


@dataclass(frozen=True)
class Actor:
    """One person acting in one session of a room."""

    room_id: UUID
    session: int
    email: str
    nickname: str
    role: Role

    @property
    def presents(self) -> bool:
        """Hosts and presenters run the room; listeners take part in it."""
        return self.role in (Role.HOST, Role.PRESENTER)

    @property
    def key(self) -> str:
        """The person, as the per-person streams of a session name them."""
        return self.email


def require_presenter(actor: Actor, what: str) -> None:
    """Refuse (403) a listener doing what only a host or presenter may; ``what`` says what."""
    if not actor.presents:
        raise PermissionDeniedError(f"only a host or presenter may {what}")


def live_session(unit: UnitOfWork, actor: Actor) -> LiveSession:
    """The actor's session, which must be running (started and not ended)."""
    session = unit.find(LiveSession, LiveSession.id_for(actor.room_id, actor.session))
    if session is None:
        raise RuleViolationError("the event has not started yet: wait in the lobby")
    if not session.live:
        raise RuleViolationError("this session has ended")
    return session


class Actors:
    """Reads an ``Actor`` from an attendance credential or from the host's login."""

    def __init__(self, attendance: Attendance) -> None:
        self.attendance = attendance

    def resolve(self, unit: UnitOfWork, room_id: UUID, caller: Caller) -> Actor:
        """The actor a caller is in ``room_id``, read in the command's own unit of work."""
        if isinstance(caller, Principal):
            return self.host(unit, caller.account_id, caller.login_id, room_id)
        return self.participant(unit, room_id, caller)

    def participant(self, unit: UnitOfWork, room_id: UUID, credential: str) -> Actor:
        """The person a credential names, who must still be in the session (not left)."""
        session, email = self.attendance.read(room_id, credential)
        admission = unit.find(Admission, Admission.id_for(room_id, session, email))
        if admission is None:
            raise WrongSecretError("the attendance credential is not valid")
        if not admission.present:
            raise RuleViolationError("you have left this session: join again to take part")
        return Actor(room_id, session, admission.email, admission.nickname, Role(admission.role))

    @staticmethod
    def host(unit: UnitOfWork, account_id: UUID, login_id: UUID, room_id: UUID) -> Actor:
        """The account's login acting as the room's host, in the session the room runs now."""
        room = owned_room(unit, account_id, room_id)
        login = unit.get(Login, login_id)
        session = current_session(unit.find(RoomSessions, RoomSessions.id_for(room.id)))
        return Actor(room.id, session, login.email, login.email, Role.HOST)


def viewer(runner: CommandRunner, actors: Actors, room_id: UUID, caller: Caller) -> Actor:
    """Who reads a room's state (a GET): resolved like a command's actor, writing nothing."""
    return actors.resolve(UnitOfWork(runner.store, runner.clock.now(), ""), room_id, caller)
