"""Rebuilding read models beside the live ones, in one pass, then swapping them in whole (0033).

The live tables keep answering (and the live projector keeps them current) while a *shadow*
copy of the schema is filled from the log: on SQLite a scratch file beside the read store, on
PostgreSQL a schema beside the live one. The log is read and each event decoded once, for every
projection rebuilt; each batch is one shadow transaction, and each projection's INSERTs in it go
out together (``BufferedCursor``). When the shadow has caught up with the log, one transaction
of the live store swaps the rebuilt tables in and moves their positions with them (PostgreSQL:
the tables change schema, which takes no time; SQLite: the rows are copied across, which readers
in WAL mode do not see until it commits). A reader sees the old read model or the new one,
never one being filled. The live projector, waiting on the position rows meanwhile, resumes
from the swapped positions.

An event a projection cannot apply stops that projection alone, exactly where the projector
would (decision 0011): the shadow holds its rows before the event, and the failure is recorded
with its position at the swap.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from eventsourcing.persistence import ApplicationRecorder, Notification
from psycopg.conninfo import make_conninfo

from projections.buffered import BufferedCursor, BulkCursor
from projections.positions import ProjectionFailure
from projections.store import (
    Cursor,
    PipelinedCursor,
    PostgresReadStore,
    ReadStore,
    SQLiteReadStore,
    migrate,
    storable,
)

Decoder = Callable[[Notification], Any]
Progress = Callable[[int, int], None]  # (log position reached, log head)
BATCH = 20_000  # a rebuild batch: its lookups are remembered per batch, so larger is cheaper
WORKERS = 4  # PostgreSQL: threads, each with its own shadow connection and projections
SWAP_LOCK_WAIT, SWAP_ATTEMPTS = "50ms", 200
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


class Poisoned(Exception):
    """One projection could not apply one event (or its held rows): the batch is rolled back."""

    def __init__(self, name: str, notification: Notification | None, error: Exception) -> None:
        super().__init__(str(error))
        self.name, self.notification, self.error = name, notification, error


@dataclass
class Outcome:
    """Where each rebuilt projection got to, how many events it applied, and what stopped it."""

    positions: dict[str, int] = field(default_factory=dict)
    failures: dict[str, ProjectionFailure] = field(default_factory=dict)
    applied: int = 0


class Shadow:
    """A fresh, migrated copy of the read store's schema, and the swap into the live one."""

    store: ReadStore
    workers: int  # projections rebuilt at the same time

    def swap(self, live: ReadStore, tables: Sequence[str], outcome: Outcome) -> None: ...

    def discard(self) -> None: ...


def shadow_of(live: ReadStore) -> Shadow:
    if isinstance(live, SQLiteReadStore):
        return SQLiteShadow(live)
    if isinstance(live, PostgresReadStore):
        return PostgresShadow(live)
    raise TypeError(f"no shadow for a {type(live).__name__}")


def record_positions(cursor: Cursor, outcome: Outcome) -> None:
    """The rebuilt projections' positions and failures (none: healthy), in the live table."""
    for name, position in outcome.positions.items():
        failure = outcome.failures.get(name)
        cursor.execute(
            "INSERT INTO projection_positions (name, position, failed_notification_id, "
            "failed_event, failed_error, failed_at) VALUES (%s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
            "failed_notification_id = excluded.failed_notification_id, "
            "failed_event = excluded.failed_event, failed_error = excluded.failed_error, "
            "failed_at = excluded.failed_at",
            (
                name,
                position,
                failure.notification_id if failure else None,
                failure.event if failure else None,
                failure.error if failure else None,
                failure.failed_at if failure else None,
            ),
        )


def lock_positions(cursor: Cursor, names: Sequence[str], postgres: bool) -> None:
    """Hold the position rows: a live projector's batch (which locks its row) waits, or ends
    first; on SQLite the write transaction already excludes it."""
    if postgres:
        cursor.execute(
            "SELECT name FROM projection_positions WHERE name = ANY(%s) FOR UPDATE",
            (list(names),),
        )
        cursor.fetchall()


class SQLiteShadow(Shadow):
    """A scratch SQLite file beside the read store, without fsyncs; rows copied in at the swap."""

    def __init__(self, live: SQLiteReadStore) -> None:
        self.path = live.path.with_name(live.path.name + ".rebuild")
        self._remove()
        self.workers = 1  # one writer at a time: a second thread would only wait for it
        self.store = SQLiteReadStore(self.path, durable=False)
        migrate(self.store)

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with suppress(FileNotFoundError):
                Path(f"{self.path}{suffix}").unlink()

    def swap(self, live: ReadStore, tables: Sequence[str], outcome: Outcome) -> None:
        assert isinstance(live, SQLiteReadStore)
        self.store.close()
        with live.attached(self.path, "rebuild"), live.transaction() as cursor:
            for table in tables:
                cursor.execute(f"SELECT name FROM pragma_table_info('{table}')")  # noqa: S608
                columns = ", ".join(str(row["name"]) for row in cursor.fetchall())
                cursor.execute(f"DELETE FROM main.{table}")  # noqa: S608 - names are ours
                cursor.execute(
                    f"INSERT INTO main.{table} ({columns}) "  # noqa: S608
                    f"SELECT {columns} FROM rebuild.{table}"
                )
            record_positions(cursor, outcome)

    def discard(self) -> None:
        self.store.close()
        with suppress(sqlite3.Error, OSError):
            self._remove()


class _CopyingCursor(PipelinedCursor):
    def __init__(self, cursor: psycopg.Cursor[Any], pipeline: psycopg.Pipeline) -> None:
        super().__init__(cursor, pipeline)
        self.copies: list[tuple[str, str, Sequence[Sequence[Any]]]] = []

    def copy_later(self, table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
        self.copies.append((table, columns, rows))


class CopyingPostgresStore(PostgresReadStore):
    """A shadow's store: a batch's statements in a pipeline, then its held rows by COPY (a few
    microseconds a row, against a statement each), in the same transaction."""

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cursor:
            with conn.pipeline() as pipeline:
                copying = _CopyingCursor(cursor, pipeline)
                yield copying
            for table, columns, rows in copying.copies:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(storable(row))


class PostgresShadow(Shadow):
    """A schema beside the live one (same table names, its own search_path); at the swap the
    live tables move out to a retired schema and the rebuilt ones move in, in one transaction."""

    def __init__(self, live: PostgresReadStore) -> None:
        schema = str(live.query("SELECT current_schema() AS name")[0]["name"])
        if not _IDENTIFIER.match(schema):
            raise ValueError(f"cannot rebuild beside schema {schema!r}")
        self.live_schema, self.schema = schema, f"{schema}_rebuild"
        self.retired = f"{schema}_retired"
        with live.transaction() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {self.schema}")
        options = f"-csearch_path={self.schema} -csynchronous_commit=off"
        self.workers = WORKERS
        self.store = PostgresReadStore(make_conninfo(live.conninfo, options=options), self.workers)
        self._live = live
        migrate(self.store)

    def swap(self, live: ReadStore, tables: Sequence[str], outcome: Outcome) -> None:
        # Readers take their tables' locks in their own order (a JOIN, one table then
        # another), so a swap that waited for one table while holding another could deadlock
        # with a reader. It waits briefly instead, and on a timeout lets go of everything and
        # tries again: readers never fail, and a swap gets its moment between their queries.
        for attempt in range(SWAP_ATTEMPTS):
            try:
                self._swap(live, tables, outcome)
                return
            except psycopg.errors.LockNotAvailable:
                time.sleep(min(0.001 * 2**attempt, 0.1))
        raise TimeoutError(f"could not lock {', '.join(tables)} for the swap")

    def _swap(self, live: ReadStore, tables: Sequence[str], outcome: Outcome) -> None:
        with live.transaction() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{SWAP_LOCK_WAIT}'")
            cursor.execute(
                f"LOCK TABLE {', '.join(f'{self.live_schema}.{t}' for t in tables)} "
                "IN ACCESS EXCLUSIVE MODE"
            )
            lock_positions(cursor, list(outcome.positions), postgres=True)
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.retired} CASCADE")
            cursor.execute(f"CREATE SCHEMA {self.retired}")
            for table in tables:
                cursor.execute(f"ALTER TABLE {self.live_schema}.{table} SET SCHEMA {self.retired}")
                cursor.execute(f"ALTER TABLE {self.schema}.{table} SET SCHEMA {self.live_schema}")
            record_positions(cursor, outcome)

    def discard(self) -> None:
        self.store.close()
        with self._live.transaction() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.retired} CASCADE")
            cursor.execute(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")


def in_groups(projections: Sequence[Any], count: int) -> list[list[Any]]:
    """Projections in ``count`` groups of about equal work: those reading every event (the
    timeline) each alone first, then the others dealt out, fewest topics last."""
    groups: list[list[Any]] = [[] for _ in range(max(1, min(count, len(projections))))]
    ordered = sorted(projections, key=lambda p: (bool(p.topics), -len(p.topics)))
    for number, projection in enumerate(ordered):
        groups[number % len(groups)].append(projection)
    return [group for group in groups if group]


def run_together(
    rebuilds: Sequence[Rebuild], store: ReadStore, head: int, progress: Progress | None
) -> None:
    """Each rebuild in its own thread and shadow connection: on PostgreSQL most of a batch is
    waiting for answers, which other threads' batches overlap. Re-raises the first error."""
    reached = [r.position for r in rebuilds]
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(number: int, rebuild: Rebuild) -> None:
        def heard(position: int, head: int) -> None:
            with lock:
                reached[number] = position
                if progress is not None:
                    progress(min(reached), head)

        try:
            rebuild.run(store, head, heard)
        except BaseException as error:  # handed to the caller below
            errors.append(error)

    if len(rebuilds) == 1:
        rebuilds[0].run(store, head, progress)
        return
    threads = [
        threading.Thread(target=run, args=(n, r), name=f"rebuild-{n}")
        for n, r in enumerate(rebuilds)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def merged(rebuilds: Sequence[Rebuild]) -> Outcome:
    outcome = Outcome()
    for rebuild in rebuilds:
        outcome.positions.update(rebuild.outcome.positions)
        outcome.failures.update(rebuild.outcome.failures)
        outcome.applied += rebuild.outcome.applied
    return outcome


class Rebuild:
    """Projects the log into a shadow store: every chosen projection, in one pass."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        decode: Decoder,
        projections: Sequence[Any],
        transient: tuple[type[BaseException], ...],
        batch_size: int = BATCH,
    ) -> None:
        self.recorder, self.decode, self.transient = recorder, decode, transient
        self.projections = list(projections)
        self.batch_size = batch_size
        self.outcome = Outcome({p.name: 0 for p in self.projections})
        self._stops: dict[str, int] = {}  # projection -> the notification id it stopped at
        self.position = 0  # how far the log has been read

    def _healthy(self) -> list[Any]:
        return [p for p in self.projections if p.name not in self.outcome.failures]

    def run(self, store: ReadStore, head: int, progress: Progress | None = None) -> int:
        """Project from where the shadow is up to ``head``; returns the position reached."""
        position = self.position
        while position < head and self._healthy():
            chosen = self._healthy()
            # Empty topics (the timeline) means every event; else only what someone reads.
            topics = (
                ()
                if any(not p.topics for p in chosen)
                else sorted({topic for p in chosen for topic in p.topics})
            )
            notifications = self.recorder.select_notifications(
                position, self.batch_size, stop=head, topics=topics, inclusive_of_start=False
            )
            full = len(notifications) == self.batch_size
            end = notifications[-1].id if full else head
            self._batch(store, chosen, notifications, end)
            position = self.position = end
            if progress is not None:
                progress(position, head)
        self.position = max(position, head)
        return self.position

    def _batch(
        self, store: ReadStore, chosen: list[Any], notifications: Sequence[Notification], end: int
    ) -> None:
        careful: set[str] = set()  # projections applied without buffering (to find a poison)
        while True:
            try:
                with store.transaction() as cursor:
                    applied = self._apply(cursor, chosen, notifications, careful)
            except Poisoned as poisoned:
                if poisoned.notification is None or poisoned.name not in careful:
                    careful.add(poisoned.name)  # again, unbuffered: which event, exactly?
                    continue
                bad = poisoned.notification
                self._stops[poisoned.name] = bad.id
                self.outcome.failures[poisoned.name] = ProjectionFailure.of(bad, poisoned.error)
                continue
            break
        self.outcome.applied += applied
        for projection in chosen:
            stop = self._stops.get(projection.name)
            self.outcome.positions[projection.name] = end if stop is None else stop - 1

    def _apply(
        self,
        cursor: BulkCursor,
        chosen: list[Any],
        notifications: Sequence[Notification],
        careful: set[str],
    ) -> int:
        cursors: dict[str, Any] = {
            p.name: cursor
            if p.name in careful or not getattr(p, "buffer_inserts", True)
            else BufferedCursor(cursor)
            for p in chosen
        }
        readers: dict[str, list[Any]] = {}
        applied = 0
        for notification in notifications:
            wanted = readers.get(notification.topic)
            if wanted is None:
                wanted = readers[notification.topic] = [
                    p for p in chosen if not p.topics or notification.topic in p.topics
                ]
            event = None
            for projection in wanted:
                stop = self._stops.get(projection.name)
                if stop is not None and notification.id >= stop:
                    continue
                try:
                    if event is None:
                        event = self.decode(notification)
                    projection.apply(cursors[projection.name], event, notification.id)
                except self.transient:
                    raise
                except Exception as error:
                    raise Poisoned(projection.name, notification, error) from error
                applied += 1
        for name, held in cursors.items():
            if isinstance(held, BufferedCursor):
                try:
                    held.flush(last=True)
                except self.transient:
                    raise
                except Exception as error:
                    raise Poisoned(name, None, error) from error
        return applied
