"""Keeping read models up to date from the notification log, exactly once, each on its own.

Each projection has a position (the last notification id it has seen) stored in the same
database transaction as the rows it writes, so a crash replays nothing twice and skips nothing.
Catch-up works in batches (one transaction per batch), which is also how a rebuild runs.

Notification ids become visible in commit order (eventsourcing's PostgreSQL recorder locks the
table on insert; SQLite has one writer), so once a batch has read up to id M, nothing at or below
M can appear later, and the position may move to M even where no event there was of interest.

An event a projection cannot apply (a bug, or an event no code foresaw) is a *poison* event for
that projection only: the projection applies everything before it, stops just before it, records
which event failed and why beside its position, and keeps serving its last good rows. Every other
projection, and every command, goes on. ``resume`` (or a rebuild) lets it try again once the code
is fixed. A database that cannot be reached is not a poison event: those errors propagate, and
the batch is simply retried later.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, Protocol

import psycopg
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import ApplicationRecorder, Notification

from projections.positions import PositionTable, ProjectionFailure, ProjectionState
from projections.rebuild import Progress, Rebuild, in_groups, merged, run_together, shadow_of
from projections.store import Cursor, ReadStore

Decoder = Callable[[Notification], DomainEventProtocol[Any]]
log = logging.getLogger(__name__)

# The store being unreachable or busy: retry the batch later, never blame the event.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    psycopg.OperationalError,
    sqlite3.OperationalError,
)


class Projection(Protocol):
    """Turns events into rows of one read model."""

    name: str
    topics: tuple[str, ...]  # the event topics it reads (empty: all); others are never decoded
    tables: tuple[str, ...]  # what a rebuild empties

    def apply(self, cursor: Cursor, event: Any, position: int) -> None: ...


class ProjectionRaceError(RuntimeError):
    """Another projector advanced the same projection; this batch was rolled back."""


class _Poisoned(Exception):
    """Raised inside a batch to roll it back when one event cannot be applied."""

    def __init__(self, notification: Notification, error: Exception) -> None:
        super().__init__(str(error))
        self.notification = notification
        self.error = error


class Projector:
    """Runs projections over the log: catch-up, live polling, rebuild, and waiting."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        decode: Decoder,
        store: ReadStore,
        projections: Sequence[Projection],
        batch_size: int = 1000,
    ) -> None:
        self.recorder = recorder
        self.decode = decode
        self.store = store
        self.projections = list(projections)
        self.batch_size = batch_size
        # One lock per projection: commands that touch different read models never queue on
        # each other's catch-up.
        self._locks = {p.name: threading.Lock() for p in self.projections}
        self.positions = PositionTable(store, "projection_positions")
        # A projector thread in this process (``run_forever``) is woken by a write instead of
        # waiting out its poll interval, and tells the answers waiting for it when it has
        # caught up; a projector in another process is polled.
        self._wake = threading.Event()
        self._progress = threading.Condition()

    # -- reading where projections are ------------------------------------------------------

    def states(self) -> dict[str, ProjectionState]:
        """Every projection's position and failure, in one query."""
        return self.positions.states(p.name for p in self.projections)

    def position(self, name: str) -> int:
        return self.states()[name].position

    def failures(self) -> dict[str, ProjectionFailure]:
        return {n: s.failure for n, s in self.states().items() if s.failure is not None}

    def affected_by(self, topics: Collection[str] | None) -> list[Projection]:
        """The projections that read any of ``topics`` (all of them for None)."""
        if topics is None:
            return list(self.projections)
        wanted = set(topics)
        return [p for p in self.projections if not p.topics or not wanted.isdisjoint(p.topics)]

    # -- catching up -----------------------------------------------------------------------

    def catch_up(self, until: int | None = None, topics: Collection[str] | None = None) -> int:
        """Apply what was appended (up to notification ``until``, else everything so far) to
        every healthy projection that reads ``topics`` (else to all); return how many events.

        When every chosen projection is already there, this costs one query.
        """
        head = until if until is not None else (self.recorder.max_notification_id() or 0)
        return self._catch_up_behind(self.affected_by(topics), self.states(), head)

    def _catch_up_behind(
        self, chosen: Sequence[Projection], states: dict[str, ProjectionState], head: int
    ) -> int:
        applied = 0
        for projection in chosen:
            state = states[projection.name]
            if state.failure is None and state.position < head:
                with self._locks[projection.name]:
                    applied += self._catch_up(projection, head)
        return applied

    def _catch_up(self, projection: Projection, head: int) -> int:
        applied = 0
        while True:
            try:
                with self.store.transaction() as cursor:
                    if self.store.dialect == "postgres":
                        # A read model is derived: a commit lost in a crash takes its position
                        # with it and is projected again, so it need not wait for the disk
                        # (every projection commits after each append: that wait was the lag).
                        cursor.execute("SET LOCAL synchronous_commit = off")
                    # The position is read and locked inside the transaction that moves it, so
                    # a rival projector waits for this batch and then starts after it.
                    start, failed = self._lock_position(cursor, projection.name)
                    if start >= head or failed:
                        return applied
                    notifications = self.recorder.select_notifications(
                        start,
                        self.batch_size,
                        stop=head,
                        topics=projection.topics,
                        inclusive_of_start=False,
                    )
                    # A short batch saw everything up to ``head``; a full one only to its last.
                    full = len(notifications) == self.batch_size
                    end = notifications[-1].id if full else head
                    self._apply(projection, cursor, notifications)
                    self._advance(cursor, projection.name, start, end)
            except _Poisoned as poisoned:
                return applied + self._stop_at(projection, poisoned)
            applied += len(notifications)
            if end >= head:
                return applied

    def _apply(
        self, projection: Projection, cursor: Cursor, notifications: Sequence[Notification]
    ) -> None:
        for notification in notifications:
            try:
                projection.apply(cursor, self.decode(notification), notification.id)
            except TRANSIENT_ERRORS:
                raise
            except Exception as error:
                raise _Poisoned(notification, error) from error

    def _stop_at(self, projection: Projection, poisoned: _Poisoned) -> int:
        """Apply what came before the poison event, stop just before it and record why."""
        bad = poisoned.notification
        log.error(
            "projection %s stopped at notification %s (%s): %s",
            projection.name,
            bad.id,
            bad.topic,
            "".join(traceback.format_exception(poisoned.error)),
        )
        with self.store.transaction() as cursor:
            start, failed = self._lock_position(cursor, projection.name)
            if failed or start >= bad.id:
                return 0  # a rival projector recorded it first
            before = self.recorder.select_notifications(
                start,
                self.batch_size,  # all of them: they were in the batch that failed
                stop=bad.id - 1,
                topics=projection.topics,
                inclusive_of_start=False,
            )
            self._apply(projection, cursor, before)
            self._advance(cursor, projection.name, start, bad.id - 1)
            self.positions.record_failure(
                cursor, projection.name, ProjectionFailure.of(bad, poisoned.error)
            )
        return len(before)

    def _lock_position(self, cursor: Cursor, name: str) -> tuple[int, bool]:
        cursor.execute(
            "INSERT INTO projection_positions (name, position) VALUES (%s, 0) "
            "ON CONFLICT (name) DO NOTHING",
            (name,),
        )
        lock = " FOR UPDATE" if self.store.dialect == "postgres" else ""  # SQLite: one writer
        cursor.execute(
            "SELECT position, failed_notification_id FROM projection_positions "  # noqa: S608
            f"WHERE name = %s{lock}",
            (name,),
        )
        row = cursor.fetchone()
        if row is None:
            return 0, False
        return int(row["position"]), row["failed_notification_id"] is not None

    @staticmethod
    def _advance(cursor: Cursor, name: str, start: int, end: int) -> None:
        cursor.execute(
            "UPDATE projection_positions SET position = %s WHERE name = %s AND position = %s",
            (end, name, start),
        )
        if cursor.rowcount != 1:
            raise ProjectionRaceError(f"{name} was advanced by another projector")

    # -- recovering ------------------------------------------------------------------------

    def _chosen(self, name: str | None) -> list[Projection]:
        chosen = [p for p in self.projections if name in (None, p.name)]
        if not chosen:
            raise LookupError(f"no projection named {name!r}")
        return chosen

    def resume(self, name: str | None = None) -> list[str]:
        """Let stopped projections try their poison event again (after a fix); return which."""
        return self.positions.resume(p.name for p in self._chosen(name))

    def rebuild(self, name: str | None = None, progress: Progress | None = None) -> int:
        """Project the whole log again into fresh tables and swap them in (decision 0033):
        the old read model serves until the new one is complete. A rebuild also forgets a
        recorded failure; if the event still cannot be applied, it is recorded again. Returns
        how many events the projections applied; ``progress`` hears (position, head)."""
        chosen = self._chosen(name)
        shadow = shadow_of(self.store)
        try:
            rebuilds = [
                Rebuild(self.recorder, self.decode, group, TRANSIENT_ERRORS)
                for group in in_groups(chosen, shadow.workers)
            ]
            head = self.recorder.max_notification_id() or 0
            run_together(rebuilds, shadow.store, head, progress)
            # What was appended meanwhile, into the shadow too, so the swap leaves the live
            # projector little to do.
            for _ in range(3):
                head = self.recorder.max_notification_id() or 0
                if head - min(r.position for r in rebuilds) < self.batch_size:
                    break
                run_together(rebuilds, shadow.store, head, progress)
            outcome = merged(rebuilds)
            with contextlib.ExitStack() as locks:
                for projection in sorted(chosen, key=lambda p: p.name):
                    locks.enter_context(self._locks[projection.name])
                shadow.swap(self.store, [t for p in chosen for t in p.tables], outcome)
        finally:
            shadow.discard()
        applied = outcome.applied
        for projection in chosen:
            if projection.name not in outcome.failures:
                with self._locks[projection.name], contextlib.suppress(ProjectionRaceError):
                    applied += self._catch_up(projection, self.recorder.max_notification_id() or 0)
        return applied

    # -- following and waiting -------------------------------------------------------------

    def run_forever(self, stop: threading.Event, interval: float = 0.05) -> None:
        """Poll the log until ``stop`` is set (SQLite's recorder offers no subscription), at
        once when this process appended something (``wake``), else every ``interval``."""
        while not stop.is_set():
            self._wake.clear()
            try:
                self._pass_over_unread()
                self.catch_up()
                with self._progress:
                    self._progress.notify_all()
            except ProjectionRaceError:
                pass  # another projector did this batch; we catch up from its position
            except Exception:
                # The store is unreachable or busy (poison events never get here): the thread
                # must outlive it, or read models would silently stop until a restart.
                log.exception("projector could not catch up; trying again")
                stop.wait(min(interval * 20, 1.0))
            self._wake.wait(interval)

    def _pass_over_unread(self) -> None:
        """Move every healthy projection that reads none of the new events to the head, all in
        one transaction: else each would take a transaction of its own to learn that, and a
        wake after one append would cost one per projection (decision 0033)."""
        head = self.recorder.max_notification_id() or 0
        states = self.states()
        behind = [
            p
            for p in self.projections
            if p.topics and states[p.name].failure is None and states[p.name].position < head
        ]
        if not behind:
            return
        start = min(states[p.name].position for p in behind)
        new = self.recorder.select_notifications(
            start, self.batch_size, stop=head, inclusive_of_start=False
        )
        if len(new) == self.batch_size:
            return  # a long way behind: the batches will do it
        idle = [
            p
            for p in behind
            if not any(n.topic in p.topics for n in new if n.id > states[p.name].position)
        ]
        if not idle:
            return
        with self.store.transaction() as cursor:
            if self.store.dialect == "postgres":
                cursor.execute("SET LOCAL synchronous_commit = off")
            for projection in idle:
                # Only from where it was seen: a projection a rival moved meanwhile is left be.
                cursor.execute(
                    "UPDATE projection_positions SET position = %s WHERE name = %s "
                    "AND position = %s AND failed_notification_id IS NULL",
                    (head, projection.name, states[projection.name].position),
                )

    def wake(self) -> None:
        """Something was appended: a ``run_forever`` thread in this process catches up now."""
        self._wake.set()

    def wait_for(
        self,
        position: int,
        topics: Collection[str] | None = None,
        timeout: float = 10.0,
        *,
        catch_up: bool = True,
    ) -> list[str]:
        """Wait until every projection reading ``topics`` has seen notification ``position``;
        with ``catch_up`` this thread does the work, else another process is relied on.

        Returns the names of the projections that did not get there: stopped at a poison event,
        or still behind when ``timeout`` ran out. Never raises for either.
        """
        chosen = self.affected_by(topics)
        deadline = time.monotonic() + timeout
        pause = 0.002
        while True:
            states = self.states()  # when nothing is new, this one query is all it costs
            behind = [
                p
                for p in chosen
                if states[p.name].failure is None and states[p.name].position < position
            ]
            if not behind or time.monotonic() >= deadline:
                stale = [p.name for p in chosen if states[p.name].failure is not None]
                return sorted(stale + [p.name for p in behind])
            if catch_up:
                with contextlib.suppress(ProjectionRaceError):
                    self._catch_up_behind(behind, states, position)
            else:
                # Another thread (woken) or process is projecting: ask again once this
                # process's projector says it caught up, or shortly.
                self.wake()
                with self._progress:
                    self._progress.wait(pause)
                pause = min(pause * 2, 0.05)

    # -- holding still ---------------------------------------------------------------------

    @contextlib.contextmanager
    def held_still(self, attempts: int = 20) -> Iterator[int]:
        """Every healthy read model at one position, kept there while the block runs; yields
        that position. A snapshot read inside shows exactly the events up to it.

        This process's catch-ups wait on the projection locks held here; another process's
        projector waits too: on PostgreSQL for the position rows locked FOR SHARE (a batch
        locks its row FOR UPDATE before it writes), on SQLite for the write lock held by the
        transaction. Read models a rival moved between the catch-up and the lock are caught up
        again, up to ``attempts`` times.
        """
        with contextlib.ExitStack() as locks:
            for name in sorted(self._locks):
                locks.enter_context(self._locks[name])
            for _ in range(attempts):
                head = self.recorder.max_notification_id() or 0
                states = self.states()
                for projection in self.projections:
                    state = states[projection.name]
                    if state.failure is None and state.position < head:
                        with contextlib.suppress(ProjectionRaceError):
                            self._catch_up(projection, head)
                with self.store.transaction() as cursor:
                    share = " FOR SHARE" if self.store.dialect == "postgres" else ""
                    cursor.execute(
                        "SELECT name, position, failed_notification_id "  # noqa: S608
                        f"FROM projection_positions{share}"
                    )
                    names = {p.name for p in self.projections}
                    healthy = {
                        int(row["position"])
                        for row in cursor.fetchall()
                        if row["name"] in names and row["failed_notification_id"] is None
                    }
                    if len(healthy) <= 1:
                        yield healthy.pop() if healthy else head
                        return
        raise ProjectionRaceError("the read models kept moving; try again")
