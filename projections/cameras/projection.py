"""CameraFeeds events to camera_feeds rows: one per person on a session's stage."""

from __future__ import annotations

from typing import Any

from domain.live.cameras import AVATAR, CAMERA, CameraFeeds
from projections.store import Cursor

EVENTS: tuple[type, ...] = (CameraFeeds.Opened, CameraFeeds.CameraOn, CameraFeeds.CameraOff)


class CamerasProjection:
    """Who shows a camera and who an avatar, in the order they came on stage."""

    name: str = "cameras"
    topics: tuple[str, ...] = tuple(f"{cls.__module__}:{cls.__qualname__}" for cls in EVENTS)
    tables: tuple[str, ...] = ("camera_feeds",)

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        feeds_id = str(event.originator_id)
        if isinstance(event, CameraFeeds.Opened):
            return  # rows are made by the first camera change; the id names room + session
        if isinstance(event, CameraFeeds.CameraOff) and event.why != AVATAR:
            cursor.execute(
                "DELETE FROM camera_feeds WHERE feeds_id = %s AND email = %s",
                (feeds_id, event.email),
            )
            return
        shows = CAMERA if isinstance(event, CameraFeeds.CameraOn) else AVATAR
        cursor.execute(
            "DELETE FROM camera_feeds WHERE feeds_id = %s AND email = %s", (feeds_id, event.email)
        )
        cursor.execute(
            "INSERT INTO camera_feeds (feeds_id, email, nickname, shows, since, position) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (feeds_id, event.email, event.nickname, shows, event.at.isoformat(), position),
        )
