"""Queries of a room's polls: definitions, results, and each person's answers and score."""

from __future__ import annotations

import json
from typing import Any

from projections.store import ReadStore, Row

POLL_COLUMNS = (
    "poll_id, room_id, kind, name, questions, answer_key, status, opened_in, results_shared, "
    "created_by, created_at, opened_at, closed_at"
)


def _poll(row: Row, presenter: bool) -> dict[str, Any]:
    poll = {
        "poll_id": row["poll_id"],
        "kind": row["kind"],
        "name": row["name"],
        "status": row["status"],
        "session": row["opened_in"],
        "results_shared": bool(row["results_shared"]),
        "questions": json.loads(row["questions"]),
        "created_at": row["created_at"],
        "opened_at": row["opened_at"],
        "closed_at": row["closed_at"],
    }
    if presenter:
        key = row["answer_key"]
        poll["answer_key"] = json.loads(key) if key else None
        poll["created_by"] = row["created_by"]
    return poll


class PollsView:
    """What the polls read model answers: presenters see everything, attendees what is theirs."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def _row(self, room_id: str, poll_id: str) -> Row | None:
        rows = self.store.query(
            f"SELECT {POLL_COLUMNS} FROM polls WHERE poll_id = %s AND room_id = %s",  # noqa: S608
            (poll_id, room_id),
        )
        return rows[0] if rows else None

    def polls(self, room_id: str, presenter: bool) -> list[dict[str, Any]]:
        """The room's polls, oldest first; attendees see only those opened, never a key."""
        rows = self.store.query(
            f"SELECT {POLL_COLUMNS} FROM polls WHERE room_id = %s "  # noqa: S608 - ours
            "ORDER BY created_at, poll_id",
            (room_id,),
        )
        return [_poll(r, presenter) for r in rows if presenter or r["status"] != "draft"]

    def poll(self, room_id: str, poll_id: str, presenter: bool) -> dict[str, Any] | None:
        row = self._row(room_id, poll_id)
        if row is None or (not presenter and row["status"] == "draft"):
            return None
        return _poll(row, presenter)

    def _answers(self, poll_id: str) -> list[Row]:
        return self.store.query(
            "SELECT question_id, email, nickname, choices, answer_text, points, answered_at, "
            "changes FROM poll_answers WHERE poll_id = %s ORDER BY email, question_id",
            (poll_id,),
        )

    def results(self, room_id: str, poll_id: str, presenter: bool) -> dict[str, Any] | None:
        """Counts per choice and how many answered each question; presenters also read the
        short answers' texts. None: no such poll (or, for an attendee, not opened)."""
        row = self._row(room_id, poll_id)
        if row is None or (not presenter and row["status"] == "draft"):
            return None
        questions = json.loads(row["questions"])
        tally: dict[str, dict[str, Any]] = {
            q["id"]: {
                "question_id": q["id"],
                "kind": q["kind"],
                "answered": 0,
                "choices": {c["id"]: 0 for c in q["choices"]},
                **({"texts": []} if presenter and q["kind"] == "short_answer" else {}),
            }
            for q in questions
        }
        people = set()
        for answer in self._answers(poll_id):
            counted = tally.get(answer["question_id"])
            if counted is None:
                continue
            people.add(answer["email"])
            counted["answered"] += 1
            for choice in json.loads(answer["choices"]):
                counted["choices"][choice] = counted["choices"].get(choice, 0) + 1
            if "texts" in counted and answer["answer_text"] is not None:
                counted["texts"].append(answer["answer_text"])
        return {
            "poll_id": poll_id,
            "status": row["status"],
            "results_shared": bool(row["results_shared"]),
            "respondents": len(people),
            "questions": list(tally.values()),
        }

    def answers(self, room_id: str, poll_id: str) -> dict[str, Any] | None:
        """Each person's answers and, for a test, their score: for presenters and statistics."""
        row = self._row(room_id, poll_id)
        if row is None:
            return None
        most = sum(q["points"] for q in json.loads(row["questions"]))
        people: dict[str, dict[str, Any]] = {}
        for answer in self._answers(poll_id):
            person = people.setdefault(
                answer["email"],
                {
                    "email": answer["email"],
                    "nickname": answer["nickname"],
                    "answers": [],
                    "score": 0,
                },
            )
            person["answers"].append(
                {
                    "question_id": answer["question_id"],
                    "choices": json.loads(answer["choices"]),
                    "text": answer["answer_text"],
                    "points": answer["points"],
                    "answered_at": answer["answered_at"],
                    "changes": answer["changes"],
                }
            )
            person["score"] += answer["points"]
        return {
            "poll_id": poll_id,
            "kind": row["kind"],
            "max_score": most,
            "people": list(people.values()),
        }
