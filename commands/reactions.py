"""What the write side does because of what happened: the policy runner's commands.

Each runs under an ``Idempotency`` whose key names the event that caused it (see
``workers.policies``), so running it again for the same event, after a crash or by a second
runner, appends nothing and answers the first run's answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from commands import mail
from commands.live.sessions import end_session, session_answer
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.admission import LiveSlot
from domain.errors import RuleViolationError
from domain.live_session import LEFT_EMPTY, LiveSession, RoomSessions
from domain.room import Room

# An account never has more live slots than this (one plus its room sessions); the loop below
# stops at the first slot never opened, long before it gets here.
MAX_LIVE_SLOTS = 1000


class NotDueError(RuleViolationError):
    """A reaction asked for before its time (a grace period not over yet): nothing recorded."""


class Reactions:
    """Commands issued by policies, each exactly once per causing event."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def free_live_slot(self, room_id: UUID, idempotency: Idempotency) -> Result:
        """A session of ``room_id`` ended: the account's slot it held is free for another event
        at once (unless the room has gone live again meanwhile, as a permanent room may)."""

        def command(unit: UnitOfWork) -> Result:
            room = unit.find(Room, room_id)
            sessions = unit.find(RoomSessions, RoomSessions.id_for(room_id))
            freed: list[int] = []
            if room is not None and not (sessions is not None and sessions.live):
                for n in range(1, MAX_LIVE_SLOTS + 1):
                    slot = unit.find(LiveSlot, LiveSlot.id_for(room.account_id, n))
                    if slot is None:
                        break  # slots are opened in order: there are no more
                    if slot.free(room_id, unit.now):
                        freed.append(n)
            return Result(Outcome.DONE, {"room_id": str(room_id), "freed_slots": freed})

        return self.runner.run(command, idempotency)

    def thank_participants(
        self, room_id: UUID, session: int, emails: Sequence[str], idempotency: Idempotency
    ) -> Result:
        """Queue the thank-you email to each of ``emails`` (a session's participants), unless
        the room turned thank-you emails off; with its thank-you page's URL if it has one."""

        def command(unit: UnitOfWork) -> Result:
            room = unit.find(Room, room_id)
            if room is None or not room.settings.extra.get("thank_you_emails_enabled", True):
                return Result(Outcome.DONE, {"room_id": str(room_id), "thanked": []})
            thanked = sorted({e.strip().lower() for e in emails if "@" in e})
            for email in thanked:
                mail.thank_you(unit, room, email)
            return Result(
                Outcome.DONE, {"room_id": str(room_id), "session": session, "thanked": thanked}
            )

        return self.runner.run(command, idempotency)

    def end_left_empty(
        self, room_id: UUID, n: int, due: datetime, idempotency: Idempotency
    ) -> Result:
        """Session ``n`` was found empty once its grace period ran out at ``due``: end it
        (``left_empty``) unless it is no longer the live one. Asked before ``due``, it refuses
        (``NotDueError``) and records nothing, so the reaction is tried again later."""

        def command(unit: UnitOfWork) -> Result:
            if unit.now < due:
                raise NotDueError(f"session {n} may end by itself at {due.isoformat()}")
            room = unit.get(Room, room_id, "room")
            sessions = unit.find(RoomSessions, RoomSessions.id_for(room_id))
            ended = None
            if sessions is not None and sessions.live and sessions.current == n:
                ended = end_session(unit, room, sessions, LEFT_EMPTY, "")
            live = ended or unit.find(LiveSession, LiveSession.id_for(room_id, n))
            return Result(
                Outcome.DONE, session_answer(room_id, sessions, live).body | {"ended": bool(ended)}
            )

        return self.runner.run(command, idempotency)
