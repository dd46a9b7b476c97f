"""Knowing, within a second, that PostgreSQL is unreachable, and when it is back (0032).

A request that meets a PostgreSQL outage would wait for a pooled connection, then retry (the
event store's recorder retries ten times): most of a minute before any answer. ``StoreWatch``
keeps one connection of its own and asks ``SELECT 1`` every ``interval``; while that fails,
``down`` is true and the API answers 503 with Retry-After at once, without touching the store.
When the probe succeeds again the pools drop the connections the server closed on its way
down (``on_recovery``), and requests pass again: nobody restarts anything.

``unavailable(error)`` says whether an exception means "the store cannot answer now"
(connection refused or lost, no connection in time, SQLite busy past its lock timeout); the
API answers those 503 too, and wakes the watch to look at once.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import psycopg
import psycopg_pool
from eventsourcing import persistence

if TYPE_CHECKING:
    from podium.bootstrap import Podium

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNAVAILABLE: tuple[type[BaseException], ...] = (
    psycopg.OperationalError,  # refused, lost, cancelled, admin shutdown
    psycopg.InterfaceError,  # a connection already closed under us
    psycopg_pool.PoolTimeout,  # no connection within pg_connect_timeout
    persistence.OperationalError,  # the same, as eventsourcing's recorders raise them
    persistence.InterfaceError,
)


def unavailable(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) means the store cannot answer right now."""
    seen: BaseException | None = error
    for _ in range(5):  # a short chain: a wrapped cause is still the cause
        if seen is None:
            return False
        if isinstance(seen, UNAVAILABLE):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class StoreWatch:
    """A thread that probes PostgreSQL; ``down`` while it cannot reach it."""

    def __init__(
        self,
        conninfo: str,
        interval: float = 1.0,
        on_recovery: Sequence[Callable[[], None]] = (),
    ) -> None:
        self.conninfo = conninfo
        self.interval = interval
        self.on_recovery = list(on_recovery)
        self.down_since: float | None = None  # time.monotonic() of the first failed probe
        self.last_error = ""
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    @property
    def down(self) -> bool:
        return self.down_since is not None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="store-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._close()

    def suspect(self) -> None:
        """A request met an outage-like error: probe now rather than at the next tick."""
        self._wake.set()

    def probe(self) -> bool:
        """One probe: True if the server answered. Moves ``down`` either way."""
        try:
            if self._conn is None or self._conn.closed:
                self._conn = psycopg.connect(self.conninfo, autocommit=True)
            self._conn.execute("SELECT 1")
        except psycopg.Error as error:
            self._close()
            if self.down_since is None:
                self.down_since = time.monotonic()
                log.warning("PostgreSQL unreachable; answering 503 until it is back: %s", error)
            self.last_error = " ".join(str(error).split())
            return False
        if self.down_since is not None:
            for recover in self.on_recovery:
                with contextlib.suppress(Exception):  # a pool that cannot check yet will later
                    recover()
            log.warning(
                "PostgreSQL reachable again after %.1f s", time.monotonic() - self.down_since
            )
            self.down_since, self.last_error = None, ""
        return True

    def _run(self) -> None:
        while not self._stop.is_set():
            self.probe()
            self._wake.wait(self.interval)
            self._wake.clear()

    def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()


def watch_store(podium: Podium) -> StoreWatch:
    """A started watch over ``podium``'s PostgreSQL; on recovery both pools drop dead links."""
    recovery: list[Callable[[], None]] = []
    check = getattr(podium.read_store, "check_connections", None)
    if check is not None:
        recovery.append(check)
    pool = getattr(getattr(podium.store.recorder, "datastore", None), "pool", None)
    if pool is not None:
        recovery.append(pool.check)
    settings = podium.settings
    watch = StoreWatch(settings.postgres_conninfo(), settings.pg_probe_interval, recovery)
    watch.start()
    return watch
