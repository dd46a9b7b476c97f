"""Poll, AnswerKey and PollAnswer events to polls and poll_answers rows.

The log's order decides what counts: an answer (or a change of one) the log puts after its
poll's ``Closed`` is not counted, even if it raced the close and was accepted (decision 0018).
"""

from __future__ import annotations

import json
from typing import Any

from domain.live.polls import AnswerKey, Poll, PollAnswer
from projections.store import Cursor

EVENTS: tuple[type, ...] = (
    Poll.Written,
    Poll.Opened,
    Poll.Closed,
    Poll.ResultsShared,
    AnswerKey.Set,
    PollAnswer.Answered,
    PollAnswer.Changed,
)


class PollsProjection:
    """One row per poll, one per person's answer to one question."""

    name: str = "polls"
    topics: tuple[str, ...] = tuple(f"{cls.__module__}:{cls.__qualname__}" for cls in EVENTS)
    tables: tuple[str, ...] = ("polls", "poll_answers")

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        poll_id = str(event.originator_id)
        if isinstance(event, Poll.Written):
            cursor.execute(
                "INSERT INTO polls (poll_id, room_id, created_session, kind, name, questions, "
                "status, created_by, created_at) VALUES (%s, %s, %s, %s, %s, %s, 'draft', %s, %s)",
                (
                    poll_id,
                    str(event.room_id),
                    event.session,
                    event.kind,
                    event.name,
                    json.dumps(event.questions),
                    event.email,
                    event.at.isoformat(),
                ),
            )
        elif isinstance(event, Poll.Opened):
            cursor.execute(
                "UPDATE polls SET status = 'open', opened_in = %s, opened_at = %s "
                "WHERE poll_id = %s",
                (event.session, event.at.isoformat(), poll_id),
            )
        elif isinstance(event, Poll.Closed):
            cursor.execute(
                "UPDATE polls SET status = 'closed', closed_at = %s WHERE poll_id = %s",
                (event.at.isoformat(), poll_id),
            )
        elif isinstance(event, Poll.ResultsShared):
            cursor.execute(
                "UPDATE polls SET results_shared = %s WHERE poll_id = %s",
                (1 if event.shared else 0, poll_id),
            )
        elif isinstance(event, AnswerKey.Set):
            cursor.execute(
                "UPDATE polls SET answer_key = %s WHERE poll_id = %s",
                (json.dumps(event.key), str(event.poll_id)),
            )
        elif isinstance(event, PollAnswer.Answered):
            self._answered(cursor, event)
        elif isinstance(event, PollAnswer.Changed):
            cursor.execute(
                "UPDATE poll_answers SET choices = %s, answer_text = %s, points = %s, "
                "answered_at = %s, changes = changes + 1 "
                "WHERE answer_id = %s AND EXISTS (SELECT 1 FROM polls p "
                "WHERE p.poll_id = poll_answers.poll_id AND p.status = 'open')",
                (
                    json.dumps(event.choices),
                    event.text,
                    event.points,
                    event.at.isoformat(),
                    str(event.originator_id),
                ),
            )

    @staticmethod
    def _answered(cursor: Cursor, event: PollAnswer.Answered) -> None:
        cursor.execute("SELECT status FROM polls WHERE poll_id = %s", (str(event.poll_id),))
        poll = cursor.fetchone()
        if poll is None or poll["status"] != "open":
            return  # the log put it after the close: not counted
        cursor.execute(
            "INSERT INTO poll_answers (answer_id, poll_id, room_id, session, question_id, email, "
            "nickname, choices, answer_text, points, answered_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                str(event.originator_id),
                str(event.poll_id),
                str(event.room_id),
                event.session,
                event.question_id,
                event.email,
                event.nickname,
                json.dumps(event.choices),
                event.text,
                event.points,
                event.at.isoformat(),
            ),
        )
