"""Queries of a room's live sessions."""

from __future__ import annotations

from typing import Any

from projections.store import ReadStore

COLUMNS = "number, started_by, started_at, ended_how, ended_at"


def _session(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "live": row["ended_at"] is None}


class LiveSessionsView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def sessions(self, room_id: str) -> list[dict[str, Any]]:
        """Every session the room has run or runs, oldest first."""
        rows = self.store.query(
            f"SELECT {COLUMNS} FROM live_sessions WHERE room_id = %s "  # noqa: S608 - ours
            "ORDER BY number",
            (room_id,),
        )
        return [_session(row) for row in rows]

    def live(self, room_id: str) -> dict[str, Any] | None:
        """The session running now, if one is."""
        rows = self.store.query(
            f"SELECT {COLUMNS} FROM live_sessions WHERE room_id = %s "  # noqa: S608 - ours
            "AND ended_at IS NULL ORDER BY number DESC LIMIT 1",
            (room_id,),
        )
        return _session(rows[0]) if rows else None
