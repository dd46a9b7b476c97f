"""Q&A in a live session: attendees ask, presenters answer or dismiss (decision 0014).

Asking creates the question's own stream. The dial-in webhook asks for a phone participant
(dial pad 5) through the same ``ask(caller, room_id, text)``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.live.actors import Actor, Actors, Caller, live_session, require_presenter
from commands.live.readers import reading_actor
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.errors import NotFoundError
from domain.live.questions import Question


def question_body(question: Question) -> dict[str, Any]:
    return {
        "question_id": str(question.id),
        "room_id": str(question.room_id),
        "session": question.session,
        "nickname": question.nickname,
        "text": question.text,
        "asked_at": question.asked_at.isoformat(),
        "status": question.status,
        "answer": question.answer,
    }


class Questions:
    """Commands of a session's Q&A."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def ask(
        self, caller: Caller, room_id: UUID, text: str, idempotency: Idempotency | None = None
    ) -> Result:
        """Ask the presenters a question in the running session."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            live_session(unit, actor)
            question = Question.ask(
                room_id, actor.session, actor.email, actor.nickname, text, unit.now
            )
            return Result(Outcome.CREATED, question_body(unit.add(question)))

        return self.runner.run(command, idempotency)

    def answer(self, caller: Caller, room_id: UUID, question_id: UUID, text: str) -> Result:
        """A presenter answers an open question with ``text``."""

        def command(unit: UnitOfWork) -> Result:
            actor, question = self._open(unit, caller, room_id, question_id, "answer questions")
            question.answer_with(text, f"{actor.role}:{actor.email}", unit.now)
            return Result(Outcome.DONE, question_body(question))

        return self.runner.run(command)

    def dismiss(self, caller: Caller, room_id: UUID, question_id: UUID) -> Result:
        """A presenter dismisses an open question (it leaves the attendees' list)."""

        def command(unit: UnitOfWork) -> Result:
            actor, question = self._open(unit, caller, room_id, question_id, "dismiss questions")
            question.dismiss(f"{actor.role}:{actor.email}", unit.now)
            return Result(Outcome.DONE, question_body(question))

        return self.runner.run(command)

    def _open(
        self, unit: UnitOfWork, caller: Caller, room_id: UUID, question_id: UUID, what: str
    ) -> tuple[Actor, Question]:
        actor = self.actors.resolve(unit, room_id, caller)
        require_presenter(actor, what)
        question = unit.find(Question, question_id)
        if question is None or question.room_id != room_id:
            raise NotFoundError("no such question in this room")
        return actor, question

    def reader(self, caller: Caller, room_id: UUID) -> Actor:
        """Who reads the room's question list: resolved, nothing written."""
        return reading_actor(self.runner, self.actors, caller, room_id)
