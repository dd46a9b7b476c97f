"""Polls and tests: a room's questions, opened in a session, answered once per person.

Three kinds of stream (decision 0014, 0018):
- ``Poll`` (random id): the definition (poll or test, name, questions and their choices,
  points) and its life, at presenter speed: opened in a session, closed, results shared.
- ``AnswerKey`` (id from the poll): a test's correct choices and accepted short answers. Its
  own stream, presenters-only (``audience``), so the room's clients that hear the poll never
  hear its answers.
- ``PollAnswer`` (id from poll + question + person): one person's answer to one question.
  Answering again is a later event on the same stream, so a re-answer replaces and two racing
  answers from one person collide on version 1 of one stream; it never counts twice. A burst
  of a thousand answers writes a thousand new streams, never one hot one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, RuleViolationError
from domain.ids import derived_id

PRESENTERS = "presenters"
MAX_NAME = 200
MAX_QUESTIONS = 50
MAX_CHOICES = 20
MAX_TEXT = 500
MAX_POINTS = 1000


class PollKind(StrEnum):
    """A poll asks opinions; a test has correct answers and points."""

    POLL = "poll"
    TEST = "test"


class QuestionKind(StrEnum):
    SINGLE = "single_choice"
    MULTIPLE = "multiple_choice"
    SHORT = "short_answer"


class PollStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


def _text(value: str, what: str, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if not 1 <= len(text) <= limit:
        raise InvalidRequestError(f"{what} must have 1 to {limit} characters")
    return text


def normalised(text: str) -> str:
    """A short answer as it is compared with the accepted ones: case and spaces aside."""
    return " ".join(text.split()).casefold()


def define(
    kind: PollKind, questions: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Check the questions a presenter wrote; return them as shown (ids ``q1``.., choices
    ``c1``..) and the answer key (question id → correct choice ids or accepted answers).

    Each given question: ``text``, ``kind``, ``choices`` (each ``text`` and, in a test,
    ``correct``), ``accepted_answers`` (a test's short answer) and ``points`` (a test's).
    """
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise InvalidRequestError(f"a {kind} has 1 to {MAX_QUESTIONS} questions")
    shown: list[dict[str, Any]] = []
    key: dict[str, dict[str, Any]] = {}
    for n, given in enumerate(questions, start=1):
        qid, what = f"q{n}", f"question {n}"
        qkind = QuestionKind(given["kind"])
        choices = given.get("choices") or []
        accepted = [normalised(a) for a in given.get("accepted_answers") or [] if a.strip()]
        points = given.get("points")
        correct = [f"c{i}" for i, c in enumerate(choices, start=1) if c.get("correct")]
        if qkind == QuestionKind.SHORT and choices:
            raise InvalidRequestError(f"{what} is a short answer: it has no choices")
        if qkind != QuestionKind.SHORT and not 2 <= len(choices) <= MAX_CHOICES:
            raise InvalidRequestError(f"{what} needs 2 to {MAX_CHOICES} choices")
        if kind == PollKind.POLL:
            if correct or accepted or points:
                raise InvalidRequestError(
                    f"{what}: a poll has no correct answers or points (make it a test)"
                )
            points = 0
        else:
            points = 1 if points is None else points
            if not 1 <= points <= MAX_POINTS:
                raise InvalidRequestError(f"{what} is worth 1 to {MAX_POINTS} points")
            if qkind == QuestionKind.SINGLE and len(correct) != 1:
                raise InvalidRequestError(f"{what} needs exactly one correct choice")
            if qkind == QuestionKind.MULTIPLE and not correct:
                raise InvalidRequestError(f"{what} needs at least one correct choice")
            if qkind == QuestionKind.SHORT and not accepted:
                raise InvalidRequestError(f"{what} needs at least one accepted answer")
            key[qid] = {"correct": correct, "accepted": accepted}
        shown.append(
            {
                "id": qid,
                "text": _text(given["text"], f"{what}'s text"),
                "kind": qkind.value,
                "choices": [
                    {"id": f"c{i}", "text": _text(c["text"], f"{what}'s choice {i}")}
                    for i, c in enumerate(choices, start=1)
                ],
                "points": points,
            }
        )
    return shown, key


class Poll(CheapCopy, Aggregate):
    """A poll or test of a room: written before or during an event, opened in a session."""

    class Written(Aggregate.Created):
        room_id: UUID
        session: int
        kind: str
        name: str
        questions: list[dict[str, Any]]
        email: str
        at: datetime

    class Opened(Aggregate.Event):
        session: int
        at: datetime

    class Closed(Aggregate.Event):
        at: datetime

    class ResultsShared(Aggregate.Event):
        shared: bool
        at: datetime

    @event(Written)
    def __init__(
        self,
        room_id: UUID,
        session: int,
        kind: str,
        name: str,
        questions: list[dict[str, Any]],
        email: str,
        at: datetime,
    ) -> None:
        self.room_id, self.session, self.kind, self.name = room_id, session, kind, name
        self.questions = questions
        self.status = PollStatus.DRAFT
        self.opened_in: int | None = None
        self.results_shared = False

    def question(self, question_id: str) -> dict[str, Any]:
        for question in self.questions:
            if question["id"] == question_id:
                return question
        raise InvalidRequestError(f"this {self.kind} has no question {question_id!r}")

    def open(self, session: int, at: datetime) -> bool:
        """Open the poll for answers in ``session``; False when it already is."""
        if self.status == PollStatus.CLOSED:
            raise RuleViolationError(f"this {self.kind} is closed: a closed one stays closed")
        if self.status == PollStatus.OPEN and self.opened_in == session:
            return False
        self._opened(session, at)
        return True

    @event(Opened)
    def _opened(self, session: int, at: datetime) -> None:
        self.status, self.opened_in = PollStatus.OPEN, session

    def close(self, at: datetime) -> bool:
        """Stop taking answers; False when already closed."""
        if self.status == PollStatus.DRAFT:
            raise RuleViolationError(f"this {self.kind} has not been opened")
        if self.status == PollStatus.CLOSED:
            return False
        self._closed(at)
        return True

    @event(Closed)
    def _closed(self, at: datetime) -> None:
        self.status = PollStatus.CLOSED

    def share_results(self, shared: bool, at: datetime) -> bool:
        """Show the results to attendees (or hide them again); False when nothing changes."""
        if self.status == PollStatus.DRAFT:
            raise RuleViolationError(f"this {self.kind} has not been opened: no results yet")
        if shared == self.results_shared:
            return False
        self._shared(shared, at)
        return True

    @event(ResultsShared)
    def _shared(self, shared: bool, at: datetime) -> None:
        self.results_shared = shared

    def check_answer(
        self, session: int, question_id: str, choices: list[str], text: str | None
    ) -> tuple[list[str], str | None]:
        """An answer to one question as stored (choices in order, text trimmed), or refused:
        the poll must be open in ``session`` and the question and choices its own."""
        if self.status == PollStatus.DRAFT:
            raise RuleViolationError(f"this {self.kind} is not open yet")
        if self.status == PollStatus.CLOSED:
            raise RuleViolationError(f"this {self.kind} is closed: answers are no longer taken")
        if self.opened_in != session:
            raise RuleViolationError(f"this {self.kind} is open in another session")
        question = self.question(question_id)
        if question["kind"] == QuestionKind.SHORT:
            if choices:
                raise InvalidRequestError(f"question {question_id} takes a text, not choices")
            if text is None:
                raise InvalidRequestError(f"question {question_id} needs a text answer")
            return [], _text(text, "an answer")
        if text is not None:
            raise InvalidRequestError(f"question {question_id} takes choices, not a text")
        known = [c["id"] for c in question["choices"]]
        unknown = sorted(set(choices) - set(known))
        if unknown:
            raise InvalidRequestError(f"question {question_id} has no choice {unknown[0]!r}")
        picked = [c for c in known if c in set(choices)]
        if not picked:
            raise InvalidRequestError(f"question {question_id} needs a choice")
        if question["kind"] == QuestionKind.SINGLE and len(picked) > 1:
            raise InvalidRequestError(f"question {question_id} takes one choice only")
        return picked, None


class AnswerKey(CheapCopy, Aggregate):
    """A test's correct answers: presenters-only, so attendees' clients never receive them."""

    class Set(Aggregate.Created):
        room_id: UUID
        session: int
        poll_id: UUID
        key: dict[str, dict[str, Any]]
        audience: str

    @staticmethod
    def create_id(poll_id: UUID) -> UUID:
        return AnswerKey.id_for(poll_id)

    @staticmethod
    def id_for(poll_id: UUID) -> UUID:
        return derived_id("answer-key", str(poll_id))

    @event(Set)
    def __init__(
        self,
        room_id: UUID,
        session: int,
        poll_id: UUID,
        key: dict[str, dict[str, Any]],
        audience: str,
    ) -> None:
        self.poll_id, self.key = poll_id, key

    def points(self, question: dict[str, Any], choices: list[str], text: str | None) -> int:
        """All the question's points for a right answer, none otherwise (no part marks)."""
        right = self.key.get(question["id"])
        if right is None:
            return 0
        if question["kind"] == QuestionKind.SHORT:
            won = text is not None and normalised(text) in right["accepted"]
        else:
            won = sorted(choices) == sorted(right["correct"])
        return int(question["points"]) if won else 0


class PollAnswer(CheapCopy, Aggregate):
    """One person's answer to one question of a poll; answering again replaces it."""

    class Answered(Aggregate.Created):
        room_id: UUID
        session: int
        poll_id: UUID
        question_id: str
        email: str
        nickname: str
        choices: list[str]
        text: str | None
        points: int
        at: datetime
        audience: str

    class Changed(Aggregate.Event):
        choices: list[str]
        text: str | None
        points: int
        at: datetime

    @staticmethod
    def create_id(poll_id: UUID, question_id: str, email: str) -> UUID:
        return PollAnswer.id_for(poll_id, question_id, email)

    @staticmethod
    def id_for(poll_id: UUID, question_id: str, email: str) -> UUID:
        return derived_id("poll-answer", f"{poll_id}:{question_id}:{email.casefold()}")

    @event(Answered)
    def __init__(
        self,
        room_id: UUID,
        session: int,
        poll_id: UUID,
        question_id: str,
        email: str,
        nickname: str,
        choices: list[str],
        text: str | None,
        points: int,
        at: datetime,
        audience: str,
    ) -> None:
        self.choices, self.text, self.points = choices, text, points

    def change(self, choices: list[str], text: str | None, points: int, at: datetime) -> bool:
        """Replace the answer; False when it is the same answer again."""
        if (choices, text) == (self.choices, self.text):
            return False
        self._changed(choices, text, points, at)
        return True

    @event(Changed)
    def _changed(self, choices: list[str], text: str | None, points: int, at: datetime) -> None:
        self.choices, self.text, self.points = choices, text, points
