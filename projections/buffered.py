"""A cursor that holds a projection's INSERTs back and sends them many at a time (decision 0033).

A rebuild spends most of its time on one statement per row: on PostgreSQL each is a message and
a wait, on SQLite a placeholder rewrite and a call. Held INSERTs go out as one ``executemany``
per run of the same statement, in the order they were made. Anything else the projection runs
(a SELECT, UPDATE, DELETE) that names a table with held rows first sends that table's rows, so
every read and change sees exactly what the slow path would have: the projection cannot tell.

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
# An INSERT of nothing but parameters: its rows can go by COPY as they are.
_PLAIN = re.compile(
    r"\s*INSERT\s+INTO\s+(\w+)\s*\(([\w\s,]+)\)\s*VALUES\s*\(\s*%s(?:\s*,\s*%s)*\s*\)\s*",
    re.IGNORECASE,
)


class BulkCursor(Cursor, Protocol):
    """A store's cursor that can also send one statement for many rows."""

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class CopyingCursor(BulkCursor, Protocol):
    """A cursor that can also take rows to COPY in once the batch's other statements are done
    (PostgreSQL: COPY cannot run in the pipeline the rest of the batch uses)."""

    def copy_later(self, table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None: ...


class BufferedCursor:
    """One projection's INSERTs for one batch, held until something could see them."""

    def __init__(self, cursor: BulkCursor) -> None:
        self._cursor = cursor
        # Per table, runs of the same statement in the order written. Tables are independent
        # (no triggers, no foreign keys), so only the order within one table matters.
        self._held: dict[str, list[tuple[str, list[Sequence[Any]]]]] = {}
        self._words: dict[str, frozenset[str]] = {}  # statement -> the names in it

    @property
    def rowcount(self) -> int:
        self.flush()
        return self._cursor.rowcount

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        insert = _INSERT.match(sql)
        if insert is not None and "RETURNING" not in sql.upper():
            runs = self._held.setdefault(insert.group(1).lower(), [])
            if runs and runs[-1][0] == sql:
                runs[-1][1].append(params)
            else:
                runs.append((sql, [params]))
            return None
        if self._held:
            for table in self._names(sql).intersection(self._held):
                self._send(self._held.pop(table))
        return self._cursor.execute(sql, params)

    def _names(self, sql: str) -> frozenset[str]:
        words = self._words.get(sql)
        if words is None:
            words = self._words[sql] = frozenset(_WORD.findall(sql.lower()))
        return words

    def flush(self, *, last: bool = False) -> None:
        """Send every held row, in the order the projection wrote them into each table.

        ``last``: nothing else runs in this batch, so a cursor that can COPY gets each table's
        final run of plain INSERTs to send after everything else (still before the commit).
        """
        held, self._held = self._held, {}
        for runs in held.values():
            plain = _PLAIN.fullmatch(runs[-1][0]) if last else None
            if plain is not None and hasattr(self._cursor, "copy_later"):
                self._send(runs[:-1])
                self._cursor.copy_later(plain.group(1), plain.group(2), runs[-1][1])
            else:
                self._send(runs)

    def _send(self, runs: list[tuple[str, list[Sequence[Any]]]]) -> None:
        for sql, rows in runs:
            if len(rows) == 1:
                self._cursor.execute(sql, rows[0])
            else:
                self._cursor.executemany(sql, rows)

    def fetchall(self) -> list[Row]:
        return self._cursor.fetchall()

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone()
