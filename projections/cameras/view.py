"""Queries of a session's camera feeds."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.live.cameras import CAMERA, CameraFeeds
from projections.store import ReadStore


class CamerasView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def feeds(self, room_id: str, session: int, presenter: bool) -> dict[str, Any]:
        """Who is on stage, in the order they took their place, and what each shows (by
        nickname; by email too for presenters)."""
        feeds_id = str(CameraFeeds.id_for(UUID(room_id), session))
        rows = self.store.query(
            "SELECT email, nickname, shows, since FROM camera_feeds WHERE feeds_id = %s "
            "ORDER BY position",
            (feeds_id,),
        )
        shown = [
            {"nickname": r["nickname"], "shows": r["shows"], "since": r["since"]}
            | ({"email": r["email"]} if presenter else {})
            for r in rows
        ]
        return {
            "room_id": room_id,
            "session": session,
            "in_use": sum(1 for r in rows if r["shows"] == CAMERA),
            "feeds": shown,
        }
