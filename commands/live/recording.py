"""Recording control (issue 8 section 4): REC on and off, auto-start, the account's allowance.

A presenter or the host starts and stops a session's recording (``Recorder``, one stream per
session, so two presses at once make one recording). A new recording needs allowance left
(``RecordingAccount``); what is used is counted by the policy runner when a recording stops
(``count_usage``), exactly once per stopped recording. Auto-start (the event's
``recorder_autostart`` or the account's default) and the stop at the session's end are reactions
too (``workers/recording_policies.py``). See decision 0021.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.live.actors import Actor, Actors, Caller, live_session, require_presenter
from commands.live.room_settings import current_language
from commands.rooms import account_limits
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.errors import DomainError
from domain.live.recording import (
    BY_AUTOSTART,
    BY_PODIUM,
    STOPPED_AT_END,
    STOPPED_BY_PRESENTER,
    Recorder,
    RecordingAccount,
    StoredRecording,
    Take,
    check_allowance,
    used_minutes,
)
from domain.live_session import LiveSession
from domain.room import Room


def take_state(take: Take | None) -> dict[str, Any] | None:
    """A recording as answers show it."""
    if take is None:
        return None
    return {
        "number": take.number,
        "language": take.language,
        "started_by": take.started_by,
        "started_at": take.started_at.isoformat(),
        "autostart": take.autostart,
        "stopped_at": take.stopped_at.isoformat() if take.stopped_at else None,
        "stop_reason": take.stop_reason,
    }


def recorder_answer(room_id: UUID, session: int, recorder: Recorder | None, **more: Any) -> Result:
    running = recorder.running if recorder is not None else None
    last = recorder.takes[-1] if recorder is not None and recorder.takes else None
    body = {
        "room_id": str(room_id),
        "session": session,
        "recording": running is not None,
        "current": take_state(running or last),
    }
    return Result(Outcome.DONE, body | more)


def account_recording(unit: UnitOfWork, account_id: UUID) -> RecordingAccount:
    """The account's recording stream, opened on first use."""
    found = unit.find(RecordingAccount, RecordingAccount.id_for(account_id))
    return found or unit.add(RecordingAccount(account_id, unit.now))


def start_in(unit: UnitOfWork, room: Room, session: int, by: str, autostart: bool) -> Result:
    """Start session ``session``'s recording unless one runs; refused when the allowance is up."""
    recorder = unit.find(Recorder, Recorder.id_for(room.id, session))
    if recorder is not None and recorder.running is not None:
        return recorder_answer(room.id, session, recorder, started=False)
    allowance = unit.find(RecordingAccount, RecordingAccount.id_for(room.account_id))
    used = allowance.used_seconds if allowance is not None else 0
    check_allowance(used, account_limits(unit, room.account_id).recording_minutes)
    if recorder is None:
        recorder = unit.add(Recorder(room.id, session, room.account_id, unit.now))
    language = current_language(unit, room.id, session)
    recorder.start(language, by, autostart, unit.now)
    return recorder_answer(room.id, session, recorder, started=True)


class Recordings:
    """REC, stop, the account's auto-start default and allowance, and the policies' commands."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def _presenting(self, unit: UnitOfWork, room_id: UUID, caller: Caller, what: str) -> Actor:
        actor = self.actors.resolve(unit, room_id, caller)
        require_presenter(actor, what)
        live_session(unit, actor)
        return actor

    def start(self, caller: Caller, room_id: UUID) -> Result:
        """REC: start recording the live session (a running recording stays as it is)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self._presenting(unit, room_id, caller, "start recording")
            room = unit.get(Room, room_id, "room")
            return start_in(unit, room, actor.session, actor.email, autostart=False)

        return self.runner.run(command)

    def stop(self, caller: Caller, room_id: UUID) -> Result:
        """Stop the session's recording; with none running, nothing changes."""

        def command(unit: UnitOfWork) -> Result:
            actor = self._presenting(unit, room_id, caller, "stop recording")
            recorder = unit.find(Recorder, Recorder.id_for(room_id, actor.session))
            stopped = None
            if recorder is not None:
                stopped = recorder.stop(actor.email, STOPPED_BY_PRESENTER, unit.now)
            return recorder_answer(room_id, actor.session, recorder, stopped=stopped is not None)

        return self.runner.run(command)

    def state(self, caller: Caller, room_id: UUID) -> Result:
        """Whether the caller's session records now, and its latest recording."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            recorder = unit.find(Recorder, Recorder.id_for(room_id, actor.session))
            answer = recorder_answer(room_id, actor.session, recorder)
            current = answer.body["current"]
            if current is not None and not actor.presents:
                current.pop("started_by")  # a presenter's email: presenters only (0014)
            return answer

        return self.runner.run(command)

    # -- the account ------------------------------------------------------------------------

    def set_autostart(self, account_id: UUID, autostart: bool) -> Result:
        """The account's default: every event starts recording when it starts."""

        def command(unit: UnitOfWork) -> Result:
            account_recording(unit, account_id).set_autostart(autostart, unit.now)
            return self._usage(unit, account_id)

        return self.runner.run(command)

    @staticmethod
    def _usage(unit: UnitOfWork, account_id: UUID) -> Result:
        found = unit.find(RecordingAccount, RecordingAccount.id_for(account_id))
        allowance = account_limits(unit, account_id).recording_minutes
        used = found.used_seconds if found is not None else 0
        body = {
            "autostart": found.autostart if found is not None else False,
            "allowance_minutes": allowance,
            "used_seconds": used,
            "used_minutes": used_minutes(used),
            "left_minutes": max(0, allowance - used_minutes(used)),
            "used_up": used >= allowance * 60,
        }
        return Result(Outcome.DONE, body)


class RecordingReactions:
    """What the policy runner issues for recording, each under the causing event's key."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def autostart(self, room_id: UUID, session: int, idempotency: Idempotency) -> Result:
        """Session ``session`` started: record it if the event or the account says so. A
        refusal (no allowance left) is the answer, not an error: the session runs unrecorded."""

        def command(unit: UnitOfWork) -> Result:
            room = unit.find(Room, room_id)
            live = unit.find(LiveSession, LiveSession.id_for(room_id, session))
            if room is None or live is None or not live.live:
                return Result(
                    Outcome.DONE, {"room_id": str(room_id), "session": session, "started": False}
                )
            account = unit.find(RecordingAccount, RecordingAccount.id_for(room.account_id))
            wanted = room.settings.recorder_autostart or (account is not None and account.autostart)
            if not wanted:
                return recorder_answer(room_id, session, None, started=False, autostart=False)
            try:
                return start_in(unit, room, session, BY_AUTOSTART, autostart=True)
            except DomainError as refused:
                body = {"room_id": str(room_id), "session": session, "started": False}
                return Result(Outcome.DONE, body | {"refused": str(refused)})

        return self.runner.run(command, idempotency)

    def stop_at_end(self, room_id: UUID, session: int, idempotency: Idempotency) -> Result:
        """Session ``session`` ended: its recording in progress stops with it."""

        def command(unit: UnitOfWork) -> Result:
            recorder = unit.find(Recorder, Recorder.id_for(room_id, session))
            stopped = None
            if recorder is not None:
                stopped = recorder.stop(BY_PODIUM, STOPPED_AT_END, unit.now)
            return recorder_answer(room_id, session, recorder, stopped=stopped is not None)

        return self.runner.run(command, idempotency)

    def count_usage(self, recorder_id: UUID, number: int, idempotency: Idempotency) -> Result:
        """A recording stopped: its length counts against the account's allowance, once."""

        def command(unit: UnitOfWork) -> Result:
            recorder = unit.get(Recorder, recorder_id, "recorder")
            take = recorder.takes[number - 1]
            seconds = take.seconds(unit.now)
            account = account_recording(unit, recorder.account_id)
            account.use(recorder.room_id, recorder.session, number, seconds, unit.now)
            return Result(
                Outcome.DONE, {"counted_seconds": seconds, "used_seconds": account.used_seconds}
            )

        return self.runner.run(command, idempotency)

    def stored(self, stored: StoredRecording, idempotency: Idempotency) -> Result:
        """A take's composed file is in storage: the account's recordings list it, its size
        counts against the plan's storage and its duration against the allowance (replacing
        what the stop counted), once (decision 0025)."""

        def command(unit: UnitOfWork) -> Result:
            recorder = unit.get(
                Recorder, Recorder.id_for(stored.room_id, stored.session), "recorder"
            )
            take = recorder.takes[stored.number - 1]
            account = account_recording(unit, recorder.account_id)
            counted_at_stop = take.seconds(take.stopped_at or unit.now)
            new = account.store(stored, counted_at_stop, unit.now)
            body = {
                "stored": new,
                "storage_key": stored.storage_key,
                "used_seconds": account.used_seconds,
            }
            return Result(Outcome.DONE, body)

        return self.runner.run(command, idempotency)
