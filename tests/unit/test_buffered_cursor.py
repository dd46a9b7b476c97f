"""The rebuild's held-INSERT cursor: a projection sees exactly what the plain cursor shows."""

from __future__ import annotations

from pathlib import Path

from projections.buffered import BufferedCursor
from projections.store import SQLiteReadStore


def store(tmp_path: Path) -> SQLiteReadStore:
    read_store = SQLiteReadStore(tmp_path / "read.db")
    with read_store.transaction() as cursor:
        cursor.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
        cursor.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    return read_store


def test_held_rows_are_sent_before_a_statement_that_names_their_table(tmp_path: Path) -> None:
    read_store = store(tmp_path)
    with read_store.transaction() as plain:
        cursor = BufferedCursor(plain)
        for n in range(3):
            cursor.execute("INSERT INTO items (id, name) VALUES (%s, %s)", (n, f"item {n}"))
        cursor.execute("INSERT INTO notes (id, text) VALUES (%s, %s)", (1, "held"))
        # Another table's statement leaves the items held...
        plain.execute("SELECT count(*) AS n FROM items")
        assert plain.fetchone() == {"n": 0}
        cursor.execute("SELECT count(*) AS n FROM notes")
        assert cursor.fetchone() == {"n": 1}
        # ...and one naming them sends them first, in the order written.
        cursor.execute("UPDATE items SET name = 'renamed' WHERE id = %s", (2,))
        cursor.execute("SELECT id, name FROM items ORDER BY id")
        assert cursor.fetchall() == [
            {"id": 0, "name": "item 0"},
            {"id": 1, "name": "item 1"},
            {"id": 2, "name": "renamed"},
        ]
        cursor.execute("INSERT INTO items (id, name) VALUES (%s, %s)", (9, "\x00last"))
        cursor.flush(last=True)
    assert read_store.query("SELECT name FROM items WHERE id = 9") == [{"name": "\ufffdlast"}]
    read_store.close()


def test_an_insert_that_fails_fails_when_sent(tmp_path: Path) -> None:
    """The error of a held row surfaces at the flush: the rebuild then redoes the batch with the
    plain cursor to find the event (projections/rebuild.py)."""
    read_store = store(tmp_path)
    failed = False
    try:
        with read_store.transaction() as plain:
            cursor = BufferedCursor(plain)
            cursor.execute("INSERT INTO items (id, name) VALUES (%s, %s)", (1, "a"))
            cursor.execute("INSERT INTO items (id, name) VALUES (%s, %s)", (1, "b"))
            cursor.flush()
    except Exception:
        failed = True
    assert failed
    assert read_store.query("SELECT * FROM items") == []
    read_store.close()
