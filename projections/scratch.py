"""A throw-away read store in memory: the read models of one moment of the past (decision 0029).

The replay of a room builds the room's read models from the log cut at a position into one of
these, with the very projections and migrations the live read store has, and then reads them
through the same views. A migrated empty store is made once and copied (SQLite's backup API
copies a page image, far cheaper than running every migration again for each moment).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from projections.store import Row, _SQLiteCursor, migrate


class ScratchReadStore:
    """Read models in one private in-memory SQLite database (one connection, any thread)."""

    dialect = "sqlite"

    def __init__(self, template: ScratchReadStore | None = None) -> None:
        # One connection shared by the threads that touch it, serialised by the lock: FastAPI
        # runs a plain route in a worker thread, and an in-memory database is per connection.
        self._conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        if template is not None:
            with template._lock:
                template._conn.backup(self._conn)

    @classmethod
    def migrated(cls) -> ScratchReadStore:
        """An empty store with every read model's table (the template the others copy)."""
        store = cls()
        migrate(store)
        return store

    def copy(self) -> ScratchReadStore:
        return ScratchReadStore(self)

    @contextmanager
    def transaction(self) -> Iterator[_SQLiteCursor]:
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield _SQLiteCursor(self._conn.cursor())
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            cursor = _SQLiteCursor(self._conn.cursor())
            cursor.execute(sql, params)
            return cursor.fetchall()

    def close(self) -> None:
        with self._lock:
            self._conn.close()
