"""Queries of a session's stage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.store import ReadStore


class StageView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def stage(self, room_id: str, session: int, now: datetime) -> dict[str, Any]:
        """What the session shows at ``now``: a playing video's position has moved on since
        it was last set, by the time since then."""
        rows = self.store.query(
            "SELECT file_id, file_name, page, video_id, video_position_ms, video_playing, "
            "video_at FROM stages WHERE room_id = %s AND session = %s",
            (room_id, session),
        )
        row = rows[0] if rows else {}
        presentation = None
        if row.get("file_id") is not None:
            presentation = {
                "file_id": row["file_id"],
                "name": row["file_name"],
                "page": row["page"],
            }
        video = None
        if row.get("video_id") is not None:
            position_ms = int(row["video_position_ms"])
            playing = bool(row["video_playing"])
            if playing:
                elapsed = now - datetime.fromisoformat(row["video_at"])
                position_ms += max(0, int(elapsed.total_seconds() * 1000))
            video = {
                "video_id": row["video_id"],
                "position": position_ms / 1000,
                "playing": playing,
                "set_at": row["video_at"],
            }
        return {
            "room_id": room_id,
            "session": session,
            "presentation": presentation,
            "video": video,
        }
