"""Q&A questions of a live session: one stream per question (decision 0014).

An attendee asks (in the room, or from the phone with dial pad 5); a host or presenter answers
it, with an answer text, or dismisses it. Each question is its own stream, created by asking,
so a room asking at once never contends on one.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, RuleViolationError

MAX_QUESTION = 1000
MAX_ANSWER = 2000
OPEN, ANSWERED, DISMISSED = "open", "answered", "dismissed"


def check_text(text: str, what: str, most: int) -> str:
    """``text`` stripped, not empty and at most ``most`` characters."""
    kept = text.strip()
    if not kept:
        raise InvalidRequestError(f"{what} needs some text")
    if len(kept) > most:
        raise InvalidRequestError(f"{what} is at most {most} characters; this one has {len(kept)}")
    return kept


class Question(CheapCopy, Aggregate):
    """One question asked in one session, open until a presenter answers or dismisses it."""

    class Asked(Aggregate.Created):
        room_id: UUID
        session: int
        email: str  # presenters only, as every field named email (decision 0014)
        nickname: str
        text: str
        at: datetime

    class Answered(Aggregate.Event):
        answer: str
        by: str
        at: datetime

    class Dismissed(Aggregate.Event):
        by: str
        at: datetime

    @event(Asked)
    def __init__(
        self, room_id: UUID, session: int, email: str, nickname: str, text: str, at: datetime
    ) -> None:
        self.room_id, self.session, self.email, self.nickname = room_id, session, email, nickname
        self.text, self.asked_at = text, at
        self.status = OPEN
        self.answer: str | None = None

    @classmethod
    def ask(
        cls, room_id: UUID, session: int, email: str, nickname: str, text: str, at: datetime
    ) -> Question:
        """A new question, its text checked and stripped before it is recorded."""
        kept = check_text(text, "a question", MAX_QUESTION)
        return cls(room_id, session, email, nickname, kept, at)

    def answer_with(self, answer: str, by: str, at: datetime) -> bool:
        """Answer the open question; the same answer again changes nothing (False)."""
        kept = check_text(answer, "an answer", MAX_ANSWER)
        if self.status == ANSWERED and self.answer == kept:
            return False
        self._check_open()
        self._answered(kept, by, at)
        return True

    @event(Answered)
    def _answered(self, answer: str, by: str, at: datetime) -> None:
        self.status, self.answer = ANSWERED, answer

    def dismiss(self, by: str, at: datetime) -> bool:
        """Dismiss the open question; dismissing it again changes nothing (False)."""
        if self.status == DISMISSED:
            return False
        self._check_open()
        self._dismissed(by, at)
        return True

    @event(Dismissed)
    def _dismissed(self, by: str, at: datetime) -> None:
        self.status = DISMISSED

    def _check_open(self) -> None:
        if self.status != OPEN:
            raise RuleViolationError(f"this question was {self.status} already")
