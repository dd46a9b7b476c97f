"""Whiteboard and Mark events to whiteboards and whiteboard_marks rows.

The log's order decides what shows: a mark the log puts after a clear it did not see (an older
generation), or an attendee's mark after collaborate was turned off, is not shown (decision
0018).
"""

from __future__ import annotations

import json
from typing import Any

from domain.live.whiteboard import Mark, Whiteboard
from projections.store import Cursor

EVENTS: tuple[type, ...] = (
    Whiteboard.Opened,
    Whiteboard.CollaborationSet,
    Whiteboard.Cleared,
    Mark.Drawn,
)


class WhiteboardProjection:
    """One row per session's whiteboard, one per mark shown on it."""

    name: str = "whiteboard"
    topics: tuple[str, ...] = tuple(f"{cls.__module__}:{cls.__qualname__}" for cls in EVENTS)
    tables: tuple[str, ...] = ("whiteboards", "whiteboard_marks")

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        board_id = str(event.originator_id)
        if isinstance(event, Whiteboard.Opened):
            cursor.execute(
                "INSERT INTO whiteboards (board_id, room_id, session) VALUES (%s, %s, %s)",
                (board_id, str(event.room_id), event.session),
            )
        elif isinstance(event, Whiteboard.CollaborationSet):
            cursor.execute(
                "UPDATE whiteboards SET collaborate = %s WHERE board_id = %s",
                (1 if event.on else 0, board_id),
            )
        elif isinstance(event, Whiteboard.Cleared):
            cursor.execute(
                "UPDATE whiteboards SET generation = %s WHERE board_id = %s",
                (event.generation, board_id),
            )
            cursor.execute(
                "DELETE FROM whiteboard_marks WHERE generation < %s AND (room_id, session) IN "
                "(SELECT room_id, session FROM whiteboards WHERE board_id = %s)",
                (event.generation, board_id),
            )
        elif isinstance(event, Mark.Drawn):
            self._drawn(cursor, event, position)

    @staticmethod
    def _drawn(cursor: Cursor, event: Mark.Drawn, position: int) -> None:
        cursor.execute(
            "SELECT collaborate, generation FROM whiteboards WHERE room_id = %s AND session = %s",
            (str(event.room_id), event.session),
        )
        board = cursor.fetchone()
        generation = board["generation"] if board else 0
        collaborate = bool(board["collaborate"]) if board else False
        if event.generation < generation or not (event.presenter or collaborate):
            return  # it raced a clear, or collaborate being turned off, and lost in the log
        cursor.execute(
            "INSERT INTO whiteboard_marks (mark_id, room_id, session, generation, position, "
            "kind, shape, email, nickname, presenter, drawn_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                str(event.room_id),
                event.session,
                event.generation,
                position,
                event.kind,
                json.dumps(event.shape),
                event.email,
                event.nickname,
                1 if event.presenter else 0,
                event.at.isoformat(),
            ),
        )
