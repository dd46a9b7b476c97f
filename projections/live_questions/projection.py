"""Question events to questions rows."""

from __future__ import annotations

from typing import Any

from domain.live.questions import ANSWERED, DISMISSED, OPEN, Question
from projections.store import Cursor


def _topic(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


class LiveQuestionsProjection:
    """One row per question, in the order asked."""

    name: str = "live_questions"
    topics: tuple[str, ...] = tuple(
        _topic(cls) for cls in (Question.Asked, Question.Answered, Question.Dismissed)
    )
    tables: tuple[str, ...] = ("questions",)

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if isinstance(event, Question.Asked):
            cursor.execute(
                "INSERT INTO questions (question_id, room_id, session, position, email, "
                "nickname, text, asked_at, status) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    str(event.originator_id),
                    str(event.room_id),
                    event.session,
                    position,
                    event.email,
                    event.nickname,
                    event.text,
                    event.at.isoformat(),
                    OPEN,
                ),
            )
        elif isinstance(event, Question.Answered):
            cursor.execute(
                "UPDATE questions SET status = %s, answer = %s, closed_by = %s, closed_at = %s "
                "WHERE question_id = %s",
                (ANSWERED, event.answer, event.by, event.at.isoformat(), str(event.originator_id)),
            )
        elif isinstance(event, Question.Dismissed):
            cursor.execute(
                "UPDATE questions SET status = %s, closed_by = %s, closed_at = %s "
                "WHERE question_id = %s",
                (DISMISSED, event.by, event.at.isoformat(), str(event.originator_id)),
            )
