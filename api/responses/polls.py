"""Answers about a room's polls and tests (decision 0018)."""

from __future__ import annotations

from typing import Any

from api.responses.base import Answer


class PollState(Answer):
    """A poll as the room sees it; presenters also read ``answer_key`` in the GETs."""

    poll_id: str
    kind: str
    name: str
    status: str
    session: int | None
    results_shared: bool
    questions: list[dict[str, Any]]


class PollList(Answer):
    polls: list[PollState]


class PollAnswerState(Answer):
    """An answer taken; ``replaced`` when it replaced the person's earlier answer."""

    poll_id: str
    question_id: str
    choices: list[str]
    text: str | None
    replaced: bool


class PollResults(Answer):
    """Per question: how many answered, and how many picked each choice."""

    poll_id: str
    status: str
    results_shared: bool
    respondents: int
    questions: list[dict[str, Any]]


class PollScores(Answer):
    """Each person's answers and score (a poll's scores are 0): for presenters and statistics."""

    poll_id: str
    kind: str
    max_score: int
    people: list[dict[str, Any]]
