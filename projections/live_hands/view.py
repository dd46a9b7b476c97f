"""Queries of a session's hand queue."""

from __future__ import annotations

from typing import Any

from projections.store import ReadStore


class LiveHandsView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def queue(self, room_id: str, session: int, presenter: bool) -> list[dict[str, Any]]:
        """The raised hands, first raised first, each with its place; emails for presenters."""
        rows = self.store.query(
            "SELECT hand_id, email, nickname, raised_at FROM hands "
            "WHERE room_id = %s AND session = %s AND raised = %s ORDER BY position",
            (room_id, session, True),
        )
        return [
            {
                "place": place,
                "hand_id": row["hand_id"],
                "nickname": row["nickname"],
                "raised_at": row["raised_at"],
                **({"email": row["email"]} if presenter else {}),
            }
            for place, row in enumerate(rows, start=1)
        ]
