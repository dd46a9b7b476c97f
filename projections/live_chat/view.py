"""Queries of a session's chat."""

from __future__ import annotations

from typing import Any

from projections.store import ReadStore


def _message(row: dict[str, Any], presenter: bool) -> dict[str, Any]:
    shown = {
        "message_id": row["message_id"],
        "session": row["session"],
        "nickname": row["nickname"],
        "role": row["role"],
        "to": row["audience"],
        "text": row["text"],
        "sent_at": row["sent_at"],
        "deleted": row["deleted_at"] is not None,
    }
    if presenter:  # emails and who deleted what are for presenters (decision 0014)
        shown |= {
            "email": row["email"],
            "deleted_by": row["deleted_by"],
            "deleted_at": row["deleted_at"],
        }
    return shown


class LiveChatView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def history(
        self, room_id: str, session: int, presenter: bool, email: str
    ) -> list[dict[str, Any]]:
        """The session's messages in the order sent. Presenters see every one, deleted ones
        marked; a participant sees the messages to all that are not deleted and their own
        private ones to the presenters."""
        rows = self.store.query(
            "SELECT * FROM chat_messages WHERE room_id = %s AND session = %s ORDER BY position",
            (room_id, session),
        )
        if not presenter:
            rows = [
                row
                for row in rows
                if row["deleted_at"] is None and (row["audience"] == "all" or row["email"] == email)
            ]
        return [_message(row, presenter) for row in rows]

    def enabled(self, room_id: str, session: int) -> bool:
        """Whether participants may write in the session's chat (on until switched off)."""
        rows = self.store.query(
            "SELECT enabled FROM chat_switches WHERE room_id = %s AND session = %s",
            (room_id, session),
        )
        return bool(rows[0]["enabled"]) if rows else True

    def sessions_with_messages(self, room_ids: list[str]) -> set[tuple[str, int]]:
        """The (room, session) pairs of ``room_ids`` whose chat has at least one message."""
        if not room_ids:
            return set()
        marks = ", ".join(["%s"] * len(room_ids))
        rows = self.store.query(
            f"SELECT DISTINCT room_id, session FROM chat_messages "  # noqa: S608 - placeholders
            f"WHERE room_id IN ({marks})",
            room_ids,
        )
        return {(row["room_id"], int(row["session"])) for row in rows}
