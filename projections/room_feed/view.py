"""Reading the room feed: what a room missed since a position, and how much that is."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from projections.store import ReadStore

COLUMNS = "room_id, session, position, stream_id, kind, audience, payload, at"


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

    def session_events(
        self, room_id: str, session: int, after: int = 0, upto: int | None = None
    ) -> list[dict[str, Any]]:
        """Session ``session``'s events with ``after < position <= upto``, in order."""
        bound = " AND position <= %s" if upto is not None else ""
        params: tuple[Any, ...] = (room_id, session, after)
        return self.store.query(
            f"SELECT {COLUMNS} FROM room_feed "  # noqa: S608 - only our own text is spliced
            f"WHERE room_id = %s AND session = %s AND position > %s{bound} ORDER BY position",
            params + ((upto,) if upto is not None else ()),
        )

    def span(self, room_id: str, session: int) -> dict[str, Any] | None:
        """The first and last position and time of a session's events (None: it has none)."""
        rows = self.store.query(
            "SELECT MIN(position) AS first, MAX(position) AS last, MIN(at) AS first_at, "
            "MAX(at) AS last_at FROM room_feed WHERE room_id = %s AND session = %s",
            (room_id, session),
        )
        return rows[0] if rows and rows[0]["first"] is not None else None

    def position_at(self, room_id: str, session: int, instant: str) -> int | None:
        """The last position of the session's events at or before ``instant`` (ISO UTC)."""
        rows = self.store.query(
            "SELECT MAX(position) AS position FROM room_feed "
            "WHERE room_id = %s AND session = %s AND at <= %s",
            (room_id, session, instant),
        )
        found = rows[0]["position"] if rows else None
        return int(found) if found is not None else None

    def streams(self, room_id: str, upto: int) -> list[dict[str, Any]]:
        """Every position of the room's events (all sessions) up to ``upto``, with its stream."""
        return self.store.query(
            "SELECT position, stream_id FROM room_feed WHERE room_id = %s AND position <= %s "
            "ORDER BY position",
            (room_id, upto),
        )

    def version_at(self, room_id: str, stream_id: str, upto: int) -> int:
        """How many events of the room's stream ``stream_id`` are at or before ``upto``: its
        aggregate's version at that position (every event of a room stream is on the feed)."""
        rows = self.store.query(
            "SELECT COUNT(*) AS n FROM room_feed "
            "WHERE room_id = %s AND stream_id = %s AND position <= %s",
            (room_id, stream_id, upto),
        )
        return int(rows[0]["n"])

    def time_at(self, room_id: str, session: int, position: int) -> str | None:
        """The time of the session's last event at or before ``position``."""
        rows = self.store.query(
            "SELECT at FROM room_feed WHERE room_id = %s AND session = %s AND position <= %s "
            "ORDER BY position DESC LIMIT 1",
            (room_id, session, position),
        )
        return str(rows[0]["at"]) if rows and rows[0]["at"] else None
