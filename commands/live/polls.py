"""Polls and tests in a room: write, open, answer, close, share the results (decision 0018).

Presenters (or the host) write a poll before or during the event and open it in the running
session; everyone present answers each question once, and answering again before the close
replaces the answer (the answer's own stream, ``PollAnswer``). An answer refused (closed,
unknown question or choice, not open in this session) writes nothing.

An answer checks the poll's state without writing the poll's stream, so a thousand answers do
not contend on it. An answer that races the close can still land just after the ``Closed``
event in the log; the polls read model counts only what the log puts before the close, so the
results never include it (decision 0018).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.live.actors import (
    Actor,
    Actors,
    Caller,
    live_session,
    require_presenter,
    viewer,
)
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.errors import InvalidRequestError, NotFoundError
from domain.live.polls import PRESENTERS, AnswerKey, Poll, PollAnswer, PollKind, define


def poll_body(poll: Poll) -> dict[str, Any]:
    """A poll as anyone in the room sees it (never its answer key)."""
    return {
        "poll_id": str(poll.id),
        "room_id": str(poll.room_id),
        "kind": poll.kind,
        "name": poll.name,
        "status": poll.status.value,
        "session": poll.opened_in,
        "results_shared": poll.results_shared,
        "questions": poll.questions,
    }


def room_poll(unit: UnitOfWork, actor: Actor, poll_id: UUID) -> Poll:
    """The room's poll, else not found (a poll of another room is not found either)."""
    poll = unit.find(Poll, poll_id)
    if poll is None or poll.room_id != actor.room_id:
        raise NotFoundError("poll not found")
    return poll


class Polls:
    """The command service of a room's polls and tests."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def viewer(self, room_id: UUID, caller: Caller) -> Actor:
        """Who reads the room's polls (no write): a present participant or the host."""
        return viewer(self.runner, self.actors, room_id, caller)

    def create(
        self,
        room_id: UUID,
        caller: Caller,
        kind: PollKind,
        name: str,
        questions: list[dict[str, Any]],
        idem: Idempotency | None = None,
    ) -> Result:
        """Write a poll or test for the room; it waits as a draft until a presenter opens it."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "write a poll or test")
            shown, key = define(kind, questions)
            title = name.strip()
            if not title:
                raise InvalidRequestError("a poll needs a name")
            poll = unit.add(
                Poll(room_id, actor.session, kind.value, title, shown, actor.email, unit.now)
            )
            if kind == PollKind.TEST:
                unit.add(AnswerKey(room_id, actor.session, poll.id, key, PRESENTERS))
            return Result(Outcome.CREATED, poll_body(poll))

        return self.runner.run(command, idem)

    def open(self, room_id: UUID, caller: Caller, poll_id: UUID) -> Result:
        """Open the poll in the running session; opening an open one changes nothing."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "open a poll")
            live_session(unit, actor)
            poll = room_poll(unit, actor, poll_id)
            poll.open(actor.session, unit.now)
            return Result(Outcome.DONE, poll_body(poll))

        return self.runner.run(command)

    def close(self, room_id: UUID, caller: Caller, poll_id: UUID) -> Result:
        """Stop taking answers; closing a closed poll changes nothing."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "close a poll")
            poll = room_poll(unit, actor, poll_id)
            poll.close(unit.now)
            return Result(Outcome.DONE, poll_body(poll))

        return self.runner.run(command)

    def share(self, room_id: UUID, caller: Caller, poll_id: UUID, shared: bool) -> Result:
        """Show the results to the attendees, or hide them again."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "share a poll's results")
            poll = room_poll(unit, actor, poll_id)
            poll.share_results(shared, unit.now)
            return Result(Outcome.DONE, poll_body(poll))

        return self.runner.run(command)

    def answer(
        self,
        room_id: UUID,
        caller: Caller,
        poll_id: UUID,
        question_id: str,
        choices: list[str],
        text: str | None,
    ) -> Result:
        """Answer one question; answering again before the close replaces the answer.

        The answer says nothing of whether it is right (a test would be won by re-answering).
        """

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            live_session(unit, actor)
            poll = room_poll(unit, actor, poll_id)
            picked, said = poll.check_answer(actor.session, question_id, choices, text)
            key = unit.find(AnswerKey, AnswerKey.id_for(poll.id))
            question = poll.question(question_id)
            points = key.points(question, picked, said) if key is not None else 0
            mine = unit.find(PollAnswer, PollAnswer.id_for(poll.id, question_id, actor.key))
            replaced = False
            if mine is None:
                unit.add(
                    PollAnswer(
                        room_id,
                        actor.session,
                        poll.id,
                        question_id,
                        actor.email,
                        actor.nickname,
                        picked,
                        said,
                        points,
                        unit.now,
                        PRESENTERS,
                    )
                )
            else:
                replaced = mine.change(picked, said, points, unit.now)
            body = {
                "poll_id": str(poll.id),
                "question_id": question_id,
                "choices": picked,
                "text": said,
                "replaced": replaced,
            }
            return Result(Outcome.DONE, body)

        return self.runner.run(command)
