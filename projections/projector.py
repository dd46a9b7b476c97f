"""Keeping read models up to date from the notification log, exactly once.

Each projection has a position (the last notification id it has seen) stored in the same
database transaction as the rows it writes, so a crash replays nothing twice and skips nothing.
Catch-up works in batches (one transaction per batch), which is also how a rebuild runs.

Notification ids become visible in commit order (eventsourcing's PostgreSQL recorder locks the
table on insert; SQLite has one writer), so once a batch has read up to id M, nothing at or below
M can appear later, and the position may move to M even where no event there was of interest.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import ApplicationRecorder, Notification

from projections.store import Cursor, ReadStore

Decoder = Callable[[Notification], DomainEventProtocol[Any]]


class Projection(Protocol):
    """Turns events into rows of one read model."""

    name: str
    topics: tuple[str, ...]  # the event topics it reads; others are never decoded
    tables: tuple[str, ...]  # what a rebuild empties

    def apply(self, cursor: Cursor, event: Any, position: int) -> None: ...


class ProjectionRaceError(RuntimeError):
    """Another projector advanced the same projection; this batch was rolled back."""


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
        self._lock = threading.Lock()

    def position(self, name: str) -> int:
        rows = self.store.query(
            "SELECT position FROM projection_positions WHERE name = %s", (name,)
        )
        return int(rows[0]["position"]) if rows else 0

    def catch_up(self) -> int:
        """Apply everything appended so far to every projection; return how many events."""
        with self._lock:
            return sum(self._catch_up(projection) for projection in self.projections)

    def _catch_up(self, projection: Projection) -> int:
        applied = 0
        while True:
            head = self.recorder.max_notification_id() or 0
            if self.position(projection.name) >= head:
                return applied
            with self.store.transaction() as cursor:
                # The position is read and locked inside the transaction that moves it, so a
                # rival projector waits for this batch and then starts after it.
                start = self._lock_position(cursor, projection.name)
                if start >= head:
                    return applied
                notifications = self.recorder.select_notifications(
                    start,
                    self.batch_size,
                    stop=head,
                    topics=projection.topics,
                    inclusive_of_start=False,
                )
                # A short batch saw everything up to ``head``; a full one only to its last id.
                end = notifications[-1].id if len(notifications) == self.batch_size else head
                for notification in notifications:
                    projection.apply(cursor, self.decode(notification), notification.id)
                self._advance(cursor, projection.name, start, end)
            applied += len(notifications)

    def _lock_position(self, cursor: Cursor, name: str) -> int:
        cursor.execute(
            "INSERT INTO projection_positions (name, position) VALUES (%s, 0) "
            "ON CONFLICT (name) DO NOTHING",
            (name,),
        )
        lock = " FOR UPDATE" if self.store.dialect == "postgres" else ""  # SQLite: one writer
        cursor.execute(
            f"SELECT position FROM projection_positions WHERE name = %s{lock}",  # noqa: S608
            (name,),
        )
        row = cursor.fetchone()
        return int(row["position"]) if row else 0

    @staticmethod
    def _advance(cursor: Cursor, name: str, start: int, end: int) -> None:
        cursor.execute(
            "UPDATE projection_positions SET position = %s WHERE name = %s AND position = %s",
            (end, name, start),
        )
        if cursor.rowcount != 1:
            raise ProjectionRaceError(f"{name} was advanced by another projector")

    def rebuild(self, name: str | None = None) -> int:
        """Empty the read model(s) and project the whole log again."""
        chosen = [p for p in self.projections if name in (None, p.name)]
        if not chosen:
            raise LookupError(f"no projection named {name!r}")
        with self._lock:
            for projection in chosen:
                with self.store.transaction() as cursor:
                    for table in projection.tables:
                        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - names are ours
                    cursor.execute(
                        "DELETE FROM projection_positions WHERE name = %s", (projection.name,)
                    )
            return sum(self._catch_up(projection) for projection in chosen)

    def run_forever(self, stop: threading.Event, interval: float = 0.05) -> None:
        """Poll the log until ``stop`` is set (SQLite's recorder offers no subscription)."""
        while not stop.is_set():
            # Another projector may have done this batch; we catch up from its position.
            with contextlib.suppress(ProjectionRaceError):
                self.catch_up()
            stop.wait(interval)

    def wait_for(self, position: int, timeout: float = 10.0) -> None:
        """Block until every projection has seen ``position`` (a notification id)."""
        deadline = time.monotonic() + timeout
        while any(self.position(p.name) < position for p in self.projections):
            if time.monotonic() > deadline:
                raise TimeoutError(f"projections did not reach notification {position}")
            self.catch_up()
