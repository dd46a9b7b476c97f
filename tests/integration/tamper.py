"""Changing stored rows behind Podium's back, as an attacker or a bad migration might."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any
from uuid import UUID

import orjson
import psycopg

from domain.ledger import Ledger
from podium.bootstrap import Podium

ENTRY_TOPIC = "domain.ledger:Ledger.EntryRecorded"
Change = Callable[[dict[str, Any]], None]


def alter_first_stored_entry(podium: Podium, change: Change) -> None:
    """Rewrite the state of the first stored ledger entry event (its JSON) in place."""
    settings = podium.settings
    if settings.store == "sqlite":
        with sqlite3.connect(settings.sqlite_events_path) as conn:
            rowid, state = conn.execute(
                "SELECT rowid, state FROM stored_events WHERE topic = ? ORDER BY rowid LIMIT 1",
                (ENTRY_TOPIC,),
            ).fetchone()
            decoded = orjson.loads(state)
            change(decoded)
            conn.execute(
                "UPDATE stored_events SET state = ? WHERE rowid = ?",
                (orjson.dumps(decoded), rowid),
            )
        return
    with psycopg.connect(settings.postgres_conninfo()) as conn:
        row = conn.execute(
            "SELECT notification_id, state FROM podium_events WHERE topic = %s "
            "ORDER BY notification_id LIMIT 1",
            (ENTRY_TOPIC,),
        ).fetchone()
        assert row is not None
        decoded = orjson.loads(row[1])
        change(decoded)
        conn.execute(
            "UPDATE podium_events SET state = %s WHERE notification_id = %s",
            (orjson.dumps(decoded), row[0]),
        )


def _rewrite(podium: Podium, table: str, stream_id: UUID, version: int, change: Change) -> None:
    """Rewrite the JSON state of one row of ``table`` ("events" or "snapshots")."""
    settings = podium.settings
    if settings.store == "sqlite":
        name = {"events": "stored_events", "snapshots": "stored_snapshots"}[table]
        with sqlite3.connect(settings.sqlite_events_path) as conn:
            where = "originator_id = ? AND originator_version = ?"
            row = conn.execute(
                f"SELECT state FROM {name} WHERE {where}",  # noqa: S608 - a fixed name
                (stream_id.hex, version),
            ).fetchone()
            assert row is not None, f"no {table} row for {stream_id} at version {version}"
            decoded = orjson.loads(row[0])
            change(decoded)
            conn.execute(
                f"UPDATE {name} SET state = ? WHERE {where}",  # noqa: S608 - a fixed name
                (orjson.dumps(decoded), stream_id.hex, version),
            )
        return
    name = f"podium_{table}"
    with psycopg.connect(settings.postgres_conninfo()) as conn:
        where = "originator_id = %s AND originator_version = %s"
        found = conn.execute(
            f"SELECT state FROM {name} WHERE {where}",  # noqa: S608 - a fixed name
            (stream_id, version),
        ).fetchone()
        assert found is not None, f"no {table} row for {stream_id} at version {version}"
        decoded = orjson.loads(found[0])
        change(decoded)
        conn.execute(
            f"UPDATE {name} SET state = %s WHERE {where}",  # noqa: S608 - a fixed name
            (orjson.dumps(decoded), stream_id, version),
        )


def alter_entry(podium: Podium, account_id: UUID, sequence: int, change: Change) -> None:
    """Rewrite the stored state of entry ``sequence`` of ``account_id``'s ledger."""
    # The ledger's first event is its opening, so entry n is the stream's version n + 1.
    _rewrite(podium, "events", Ledger.id_for(account_id), sequence + 1, change)


def alter_snapshot(podium: Podium, stream_id: UUID, version: int, change: Change) -> None:
    """Rewrite the aggregate state inside the snapshot of ``stream_id`` at ``version``."""

    def in_state(snapshot: dict[str, Any]) -> None:
        change(snapshot["state"])

    _rewrite(podium, "snapshots", stream_id, version, in_state)
