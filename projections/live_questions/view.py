"""Queries of a session's question list."""

from __future__ import annotations

from typing import Any

from domain.live.questions import DISMISSED
from projections.store import ReadStore

PUBLIC = ("question_id", "session", "nickname", "text", "asked_at", "status", "answer")


class LiveQuestionsView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def questions(self, room_id: str, session: int, presenter: bool) -> list[dict[str, Any]]:
        """The session's questions in the order asked. Presenters see every one, with who
        asked and who closed it; attendees see the open and answered ones."""
        rows = self.store.query(
            "SELECT * FROM questions WHERE room_id = %s AND session = %s ORDER BY position",
            (room_id, session),
        )
        if presenter:
            return [
                {k: v for k, v in row.items() if k not in ("room_id", "position")} for row in rows
            ]
        return [{k: row[k] for k in PUBLIC} for row in rows if row["status"] != DISMISSED]
