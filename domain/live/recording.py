"""Recording control: REC on and off in a session, and the account's recording allowance.

Two kinds of stream, both at presenter speed (decision 0014):
- ``Recorder`` (id from room + session): the recordings of one session, numbered from 1. At most
  one runs at a time, so two presenters pressing REC at once both write version 2 of the same
  stream: one wins, the other is retried and finds the recording running.
- ``RecordingAccount`` (id from account): the account's default (recording auto-start) and the
  allowance used so far, counted by the policy runner once per stopped recording.

The allowance (``Limits.recording_minutes``) is the minutes an account may record. Once used up,
a recording in progress runs on until it is stopped or the event ends, but no new one starts.
A recording keeps the interface language of the moment it started (decision 0021).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import LimitExceededError
from domain.ids import derived_id

BY_AUTOSTART = "autostart"  # who started a recording the event's auto-start began
BY_PODIUM = "podium"  # who stopped a recording that ran until its session ended
STOPPED_BY_PRESENTER = "stopped"
STOPPED_AT_END = "session_ended"


class AllowanceUsedUpError(LimitExceededError):
    """The account's recording allowance is used up: no new recording starts (409)."""


@dataclass(frozen=True)
class Take:
    """One recording of a session: from REC to stop, in the language it started in."""

    number: int
    language: str
    started_by: str
    started_at: datetime
    autostart: bool
    stopped_at: datetime | None = None
    stopped_by: str | None = None
    stop_reason: str | None = None

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    def seconds(self, now: datetime) -> int:
        """How long it ran (runs, if it still does), in whole seconds."""
        end = self.stopped_at or now
        return max(0, int((end - self.started_at).total_seconds()))


class Recorder(CheapCopy, Aggregate):
    """The recordings of one session of a room."""

    class Opened(Aggregate.Created):
        room_id: UUID
        session: int
        account_id: UUID
        at: datetime

    class Started(Aggregate.Event):
        number: int
        language: str
        email: str  # who pressed REC ("autostart" for the policy); presenters only (0014)
        autostart: bool
        at: datetime

    class Stopped(Aggregate.Event):
        number: int
        email: str  # who stopped it ("podium" at the session's end); presenters only
        reason: str
        seconds: int
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int, account_id: UUID, at: datetime) -> UUID:
        return Recorder.id_for(room_id, session)

    @staticmethod
    def id_for(room_id: UUID, session: int) -> UUID:
        return derived_id("recorder", f"{room_id}:{session}")

    @event(Opened)
    def __init__(self, room_id: UUID, session: int, account_id: UUID, at: datetime) -> None:
        self.room_id, self.session, self.account_id = room_id, session, account_id
        self.takes: list[Take] = []

    @property
    def running(self) -> Take | None:
        """The recording in progress, if one is."""
        return self.takes[-1] if self.takes and self.takes[-1].running else None

    def start(self, language: str, by: str, autostart: bool, at: datetime) -> bool:
        """Start a new recording; False (nothing changes) when one is running already."""
        if self.running is not None:
            return False
        self._started(len(self.takes) + 1, language, by, autostart, at)
        return True

    @event(Started)
    def _started(
        self, number: int, language: str, email: str, autostart: bool, at: datetime
    ) -> None:
        self.takes.append(Take(number, language, email, at, autostart))

    def stop(self, by: str, reason: str, at: datetime) -> Take | None:
        """Stop the recording in progress and return it; None when none runs."""
        take = self.running
        if take is None:
            return None
        self._stopped(take.number, by, reason, take.seconds(at), at)
        return self.takes[-1]

    @event(Stopped)
    def _stopped(self, number: int, email: str, reason: str, seconds: int, at: datetime) -> None:
        self.takes[-1] = replace(
            self.takes[-1], stopped_at=at, stopped_by=email, stop_reason=reason
        )


class RecordingAccount(CheapCopy, Aggregate):
    """An account's recording default and how much of its allowance its recordings used."""

    class Opened(Aggregate.Created):
        account_id: UUID
        at: datetime

    class AutostartSet(Aggregate.Event):
        autostart: bool
        at: datetime

    class Used(Aggregate.Event):
        room_id: UUID
        session: int
        number: int
        seconds: int
        at: datetime

    class Stored(Aggregate.Event):
        """A recording's composed file is in storage (decision 0025). ``recounted`` is what
        the allowance moves by: the stored length less what its stop counted."""

        room_id: UUID
        session: int
        number: int
        storage_key: str
        content_type: str
        size: int  # bytes
        seconds: float  # the file's duration
        recounted: int
        at: datetime

    @staticmethod
    def create_id(account_id: UUID, at: datetime) -> UUID:
        return RecordingAccount.id_for(account_id)

    @staticmethod
    def id_for(account_id: UUID) -> UUID:
        return derived_id("recording-account", str(account_id))

    @event(Opened)
    def __init__(self, account_id: UUID, at: datetime) -> None:
        self.account_id = account_id
        self.autostart = False
        self.used_seconds = 0
        self.counted: set[str] = set()  # "<room>:<session>:<number>", each counted once

    def set_autostart(self, autostart: bool, at: datetime) -> None:
        """Every event of the account starts recording when it starts (or no longer does)."""
        if autostart != self.autostart:
            self._autostart_set(autostart, at)

    @event(AutostartSet)
    def _autostart_set(self, autostart: bool, at: datetime) -> None:
        self.autostart = autostart

    def use(self, room_id: UUID, session: int, number: int, seconds: int, at: datetime) -> bool:
        """Count a stopped recording against the allowance; False if it was counted already."""
        if f"{room_id}:{session}:{number}" in self.counted:
            return False
        self._used(room_id, session, number, seconds, at)
        return True

    @event(Used)
    def _used(self, room_id: UUID, session: int, number: int, seconds: int, at: datetime) -> None:
        self.used_seconds += seconds
        self.counted.add(f"{room_id}:{session}:{number}")

    def has_stored(self, room_id: UUID, session: int, number: int) -> bool:
        return f"{room_id}:{session}:{number}" in self.__dict__.get("stored", set())

    def store(self, stored: StoredRecording, counted_at_stop: int, at: datetime) -> bool:
        """A recording's file is stored: its size counts against the plan's storage and its
        duration replaces the REC-to-stop seconds its stop counted (``counted_at_stop``, if its
        stop was counted already; if not, the stop's count will find it counted). False if it
        was stored already."""
        if self.has_stored(stored.room_id, stored.session, stored.number):
            return False
        key = f"{stored.room_id}:{stored.session}:{stored.number}"
        before = counted_at_stop if key in self.counted else 0
        self._stored(
            stored.room_id,
            stored.session,
            stored.number,
            stored.storage_key,
            stored.content_type,
            stored.size,
            stored.seconds,
            stored.whole_seconds - before,
            at,
        )
        return True

    @event(Stored)
    def _stored(
        self,
        room_id: UUID,
        session: int,
        number: int,
        storage_key: str,
        content_type: str,
        size: int,
        seconds: float,
        recounted: int,
        at: datetime,
    ) -> None:
        key = f"{room_id}:{session}:{number}"
        self.used_seconds += recounted
        self.counted.add(key)
        # setdefault: an account snapshotted before recordings were stored has neither.
        self.__dict__.setdefault("stored", set()).add(key)
        self.stored_bytes = self.__dict__.get("stored_bytes", 0) + size


@dataclass(frozen=True)
class StoredRecording:
    """What the composer stored for one take: where, what, how long and how large."""

    room_id: UUID
    session: int
    number: int
    storage_key: str
    content_type: str
    size: int
    seconds: float

    @property
    def whole_seconds(self) -> int:
        """The duration as the allowance counts it (every minute begun counts later)."""
        return max(0, round(self.seconds))


def stored_recording_id(room_id: UUID, session: int, number: int) -> UUID:
    """The id the recordings list and its download name a stored take by."""
    return derived_id("stored-recording", f"{room_id}:{session}:{number}")


def check_allowance(used_seconds: int, allowance_minutes: int) -> None:
    """Refuse a new recording once the account has recorded its plan's minutes."""
    if used_seconds >= allowance_minutes * 60:
        raise AllowanceUsedUpError(
            f"the recording allowance is used up ({used_minutes(used_seconds)} of "
            f"{allowance_minutes} minutes recorded): no new recording can start; a recording "
            "in progress goes on until the event ends, and a larger plan allows more"
        )


def used_minutes(seconds: int) -> int:
    """Minutes recorded as the allowance counts them: every minute begun counts."""
    return -(-seconds // 60)
