"""LiveSession events to live_sessions rows."""

from __future__ import annotations

from typing import Any

from domain.live_session import LiveSession
from projections.store import Cursor


class LiveSessionsProjection:
    """One row per session of a room."""

    name: str = "live_sessions"
    topics: tuple[str, ...] = tuple(
        f"{cls.__module__}:{cls.__qualname__}" for cls in (LiveSession.Started, LiveSession.Ended)
    )
    tables: tuple[str, ...] = ("live_sessions",)

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if isinstance(event, LiveSession.Started):
            cursor.execute(
                "INSERT INTO live_sessions (session_id, room_id, number, started_by, started_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                (
                    str(event.originator_id),
                    str(event.room_id),
                    event.n,
                    event.by,
                    event.at.isoformat(),
                ),
            )
        elif isinstance(event, LiveSession.Ended):
            cursor.execute(
                "UPDATE live_sessions SET ended_how = %s, ended_at = %s WHERE session_id = %s",
                (event.how, event.at.isoformat(), str(event.originator_id)),
            )
