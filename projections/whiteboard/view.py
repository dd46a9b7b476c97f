"""Queries of a session's whiteboard."""

from __future__ import annotations

import json
from typing import Any

from projections.store import ReadStore


class WhiteboardView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def board(self, room_id: str, session: int, presenter: bool) -> dict[str, Any]:
        """Collaborate, and the marks since the last clear in the order they were drawn (who
        drew each by nickname; by email too for presenters)."""
        boards = self.store.query(
            "SELECT collaborate, generation FROM whiteboards WHERE room_id = %s AND session = %s",
            (room_id, session),
        )
        marks = self.store.query(
            "SELECT mark_id, kind, shape, email, nickname, presenter, drawn_at, position "
            "FROM whiteboard_marks WHERE room_id = %s AND session = %s ORDER BY position",
            (room_id, session),
        )
        shown = []
        for mark in marks:
            row = {
                "mark_id": mark["mark_id"],
                "kind": mark["kind"],
                **json.loads(mark["shape"]),
                "nickname": mark["nickname"],
                "by_presenter": bool(mark["presenter"]),
                "drawn_at": mark["drawn_at"],
                "position": mark["position"],
            }
            if presenter:
                row["email"] = mark["email"]
            shown.append(row)
        return {
            "room_id": room_id,
            "session": session,
            "collaborate": bool(boards[0]["collaborate"]) if boards else False,
            "generation": boards[0]["generation"] if boards else 0,
            "marks": shown,
        }
