"""A cursor that holds a projection's INSERTs back and sends them many at a time (decision 0033).

A rebuild spends most of its time on one statement per row: on PostgreSQL each is a message and
a wait, on SQLite a placeholder rewrite and a call. Held INSERTs go out as one ``executemany``
per run of the same statement, in the order they were made. Anything else the projection runs
(a SELECT, UPDATE, DELETE) that names a table with held rows first sends them, so every read and
change sees exactly what the slow path would have: the projection cannot tell the difference.

A projection that must see an INSERT fail at once (one that catches the error and does something
else) sets ``buffer_inserts = False`` and gets the plain cursor.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from projections.store import Cursor, Row

_INSERT = re.compile(r"\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
_WORD = re.compile(r"\w+")


class BulkCursor(Cursor, Protocol):
    """A store's cursor that can also send one statement for many rows."""

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class BufferedCursor:
    """One projection's INSERTs for one batch, held until something could see them."""

    def __init__(self, cursor: BulkCursor) -> None:
        self._cursor = cursor
        self._runs: list[tuple[str, list[Sequence[Any]]]] = []  # same statement, in order
        self._held: set[str] = set()  # tables with held rows
        self._words: dict[str, frozenset[str]] = {}  # statement -> the names in it

    @property
    def rowcount(self) -> int:
        self.flush()
        return self._cursor.rowcount

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        insert = _INSERT.match(sql)
        if insert is not None and "RETURNING" not in sql.upper():
            if self._runs and self._runs[-1][0] == sql:
                self._runs[-1][1].append(params)
            else:
                self._runs.append((sql, [params]))
                self._held.add(insert.group(1).lower())
            return None
        if self._held and not self._names(sql).isdisjoint(self._held):
            self.flush()
        return self._cursor.execute(sql, params)

    def _names(self, sql: str) -> frozenset[str]:
        words = self._words.get(sql)
        if words is None:
            words = self._words[sql] = frozenset(_WORD.findall(sql.lower()))
        return words

    def flush(self) -> None:
        """Send every held row, in the order the projection wrote them."""
        runs, self._runs, self._held = self._runs, [], set()
        for sql, rows in runs:
            if len(rows) == 1:
                self._cursor.execute(sql, rows[0])
            else:
                self._cursor.executemany(sql, rows)

    def fetchall(self) -> list[Row]:
        return self._cursor.fetchall()

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone()
