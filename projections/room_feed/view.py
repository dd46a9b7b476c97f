"""Reading the room feed: what a room missed since a position, and how much that is."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from projections.store import ReadStore

COLUMNS = "room_id, session, position, stream_id, kind, audience, payload"


class RoomFeedView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def between(
        self, rooms: Collection[str], after: int, upto: int, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """The events of ``rooms`` with ``after < position <= upto``, in order."""
        if not rooms or upto <= after:
            return []
        marks = ", ".join(["%s"] * len(rooms))
        bound = f" LIMIT {int(limit)}" if limit is not None else ""
        return self.store.query(
            f"SELECT {COLUMNS} FROM room_feed "  # noqa: S608 - only placeholders are spliced
            f"WHERE room_id IN ({marks}) AND position > %s AND position <= %s "
            f"ORDER BY position{bound}",
            (*rooms, after, upto),
        )

    def count_after(self, room_id: str, after: int, upto: int) -> int:
        rows = self.store.query(
            "SELECT COUNT(*) AS n FROM room_feed "
            "WHERE room_id = %s AND position > %s AND position <= %s",
            (room_id, after, upto),
        )
        return int(rows[0]["n"])
