"""Changing stored rows behind Podium's back, as an attacker or a bad migration might."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import orjson
import psycopg

from podium.bootstrap import Podium

ENTRY_TOPIC = "domain.ledger:Ledger.EntryRecorded"


def alter_first_stored_entry(podium: Podium, change: Callable[[dict[str, Any]], None]) -> None:
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
