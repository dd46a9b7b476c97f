"""Where read models live: a SQLite file (embedded) or PostgreSQL, behind one small interface.

SQL is written once, in psycopg's ``%s`` style with portable types; the SQLite adapter turns the
placeholders into ``?``. Timestamps are ISO-8601 UTC text, which sorts and compares correctly.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, cast

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
Row = dict[str, Any]
MIGRATION_LOCK = 7_160_100_115  # any fixed number: the advisory lock that serialises migrations


class Cursor(Protocol):
    """The part of a DB-API cursor the projections use."""

    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

    def fetchall(self) -> list[Row]: ...

    def fetchone(self) -> Row | None: ...


class BatchMemo:
    """Lookups a projection remembers for one batch.

    The projector applies a batch in one transaction through one cursor, so a memo that starts
    afresh with each new cursor always agrees with what that transaction sees, rolled back or
    not; across batches the database is asked again.
    """

    def __init__(self) -> None:
        self._cursor: Cursor | None = None
        self._values: dict[str, str] = {}

    def of(self, cursor: Cursor) -> dict[str, str]:
        if cursor is not self._cursor:
            self._cursor, self._values = cursor, {}
        return self._values


class ReadStore(Protocol):
    """A database for read models."""

    dialect: str

    def transaction(self) -> Any:
        """A context manager yielding a Cursor; commits on success, rolls back on error."""
        ...

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    def close(self) -> None: ...


def storable(params: Sequence[Any]) -> tuple[Any, ...]:
    """``params`` with NUL in text replaced by U+FFFD, the same on both stores.

    PostgreSQL text cannot hold NUL, and an event written before room names refused control
    characters may carry one: without this it would stop every read model that shows it. Doing
    it on SQLite too keeps a read model the same whichever store it is built on.
    """
    for p in params:
        if isinstance(p, str) and "\x00" in p:
            return tuple(q.replace("\x00", "\ufffd") if isinstance(q, str) else q for q in params)
    return params if type(params) is tuple else tuple(params)


class _SQLiteCursor:
    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(sql.replace("%s", "?"), storable(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._cursor.executemany(sql.replace("%s", "?"), [storable(row) for row in rows])

    def fetchall(self) -> list[Row]:
        return [dict(row) for row in self._cursor.fetchall()]

    def fetchone(self) -> Row | None:
        row = self._cursor.fetchone()
        return dict(row) if row is not None else None


class SQLiteReadStore:
    """Read models in a SQLite file; one connection per thread, WAL so readers never block."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, durable: bool = True) -> None:
        self.path = path
        # A scratch store (a rebuild's, thrown away if the process dies) skips the fsyncs.
        self.durable = durable
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={'NORMAL' if self.durable else 'OFF'}")
            self._local.conn = conn
        return conn

    @contextmanager
    def transaction(self) -> Iterator[_SQLiteCursor]:
        conn = self._connection()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SQLiteCursor(conn.cursor())
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @contextmanager
    def attached(self, path: Path, alias: str) -> Iterator[None]:
        """Another SQLite file visible as ``alias`` to this thread's transactions meanwhile."""
        conn = self._connection()
        conn.execute("ATTACH DATABASE ? AS " + alias, (str(path),))
        try:
            yield
        finally:
            conn.execute("DETACH DATABASE " + alias)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        cursor = _SQLiteCursor(self._connection().cursor())
        cursor.execute(sql, params)
        return cursor.fetchall()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


class PipelinedCursor:
    """A psycopg cursor in pipeline mode: a fetch waits for its answer by itself, but the row
    count of a statement is only known once the pipeline is synced."""

    def __init__(self, cursor: psycopg.Cursor[Any], pipeline: psycopg.Pipeline) -> None:
        self._cursor = cursor
        self._pipeline = pipeline

    @property
    def rowcount(self) -> int:
        self._pipeline.sync()
        return self._cursor.rowcount

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(sql, storable(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._cursor.executemany(sql, [storable(row) for row in rows])

    def fetchall(self) -> list[Row]:
        return cast(list[Row], self._cursor.fetchall())

    def fetchone(self) -> Row | None:
        return cast(Row | None, self._cursor.fetchone())


class PostgresReadStore:
    """Read models in PostgreSQL, through a small connection pool."""

    dialect = "postgres"

    def __init__(self, conninfo: str, pool_size: int = 4, timeout: float = 30.0) -> None:
        self.conninfo = conninfo
        # ``timeout``: how long a caller waits for a connection (the server down: PoolTimeout).
        self._pool = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            kwargs={"row_factory": dict_row},
            open=True,
            timeout=timeout,
        )

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        # Pipeline mode: writes go out without waiting for each answer, so a batch of a
        # thousand INSERTs is not a thousand round trips; a fetch or rowcount waits as usual.
        with (
            self._pool.connection() as conn,
            conn.pipeline() as pipeline,
            conn.transaction(),
            conn.cursor() as cursor,
        ):
            yield PipelinedCursor(cursor, pipeline)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._pool.connection() as conn, conn.cursor() as cursor:
            cursor.execute(sql, storable(params))
            return cast(list[Row], cursor.fetchall())

    def check_connections(self) -> None:
        """Drop pooled connections the server closed (it restarted), so none is handed out."""
        self._pool.check()

    def close(self) -> None:
        self._pool.close()


def migrate(store: ReadStore, directory: Path = MIGRATIONS) -> list[str]:
    """Apply the SQL files in ``directory`` not applied yet, in name order; return their names."""
    with store.transaction() as cursor:
        _serialise(store, cursor)
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        )
    done = []
    for path in sorted(directory.glob("*.sql")):
        with store.transaction() as cursor:
            _serialise(store, cursor)
            cursor.execute("SELECT 1 FROM schema_migrations WHERE version = %s", (path.name,))
            if cursor.fetchone() is not None:
                continue
            for statement in _statements(path.read_text()):
                cursor.execute(statement)
            cursor.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (path.name,))
        done.append(path.name)
    return done


def _serialise(store: ReadStore, cursor: Cursor) -> None:
    """Every process migrates at start-up: on PostgreSQL the first does it, the others wait
    (SQLite transactions here are already exclusive)."""
    if store.dialect == "postgres":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))


def _statements(sql: str) -> list[str]:
    """Split a migration on semicolons at line ends (our migrations hold no procedures)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
