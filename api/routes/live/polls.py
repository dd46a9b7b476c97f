"""Polls and tests in a room over HTTP, and the socket's ``poll.answer`` (decision 0018).

Presenters (the Podium-Attendance header of a presenter, or the host's API key) write, open,
close and share; everyone present answers. Attendees read the polls opened for them, and the
results once a presenter shares them; each person's answers and scores are for presenters.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import Field, StringConstraints

from api.contract import problems
from api.deps import IdempotencyHeader, PodiumDep, respond, scoped
from api.responses.polls import PollAnswerState, PollList, PollResults, PollScores, PollState
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.schemas import Body, Name, WholeNumber
from commands.accounts import Principal
from commands.errors import PermissionDeniedError
from commands.live.actors import Actor, Caller, require_presenter
from commands.unit_of_work import Result
from domain.errors import NotFoundError
from domain.live.polls import MAX_CHOICES, MAX_QUESTIONS, MAX_TEXT, PollKind
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["polls"])
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT)]
ChoiceId = Annotated[str, StringConstraints(min_length=1, max_length=10)]


class ChoiceIn(Body):
    """A choice; in a test, ``correct`` marks the right ones."""

    text: Text
    correct: bool = False


class QuestionIn(Body):
    """A question: single choice, multiple choice or short answer; a test's has points (1 by
    default) and its right answers (``correct`` choices, or ``accepted_answers`` for a short
    answer, compared ignoring case and spacing)."""

    text: Text
    kind: Literal["single_choice", "multiple_choice", "short_answer"]
    choices: list[ChoiceIn] = Field(default_factory=list, max_length=MAX_CHOICES)
    accepted_answers: list[Text] = Field(default_factory=list, max_length=20)
    points: WholeNumber | None = None


class PollIn(Body):
    kind: PollKind = PollKind.POLL
    name: Name
    questions: list[QuestionIn] = Field(min_length=1, max_length=MAX_QUESTIONS)


class AnswerIn(Body):
    """An answer to one question: ``choices`` (ids such as ``c1``) or a short answer's ``text``."""

    question_id: Annotated[str, StringConstraints(min_length=1, max_length=10)]
    choices: list[ChoiceId] = Field(default_factory=list, max_length=MAX_CHOICES)
    text: Annotated[str, Field(max_length=MAX_TEXT)] | None = None


class AnswerFrame(AnswerIn):
    """``poll.answer`` over the socket: the answer and the poll it answers."""

    poll_id: UUID


class SharingIn(Body):
    shared: bool


def caller_scope(caller: Caller) -> str:
    """Idempotency keys are per caller: the login, or the attendance credential's person."""
    if isinstance(caller, Principal):
        return f"login:{caller.login_id}:account:{caller.account_id}"
    return f"attendance:{caller.rpartition('.')[2]}"


def _answer(podium: Podium, caller: Caller, room_id: UUID, poll_id: UUID, body: AnswerIn) -> Result:
    return podium.polls.answer(room_id, caller, poll_id, body.question_id, body.choices, body.text)


@router.post("/{room_id}/polls", status_code=201, response_model=PollState, responses=problems(403))
def create(
    room_id: UUID, body: PollIn, who: RoomCaller, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Write a poll or a test, before or during the event; it waits as a draft until opened."""
    questions = [q.model_dump() for q in body.questions]
    result = podium.polls.create(
        room_id, who, body.kind, body.name, questions, scoped(idem, caller_scope(who))
    )
    return respond(podium, result)


@router.get("/{room_id}/polls", response_model=PollList)
def polls(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """The room's polls: all of them with their answer keys for presenters; the opened ones,
    without keys, for attendees."""
    actor = podium.polls.viewer(room_id, who)
    return {"polls": podium.views.polls.polls(str(room_id), actor.presents)}


@router.get("/{room_id}/polls/{poll_id}", response_model=PollState)
def poll(room_id: UUID, poll_id: UUID, who: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """One poll (an attendee sees it once it is opened)."""
    actor = podium.polls.viewer(room_id, who)
    found = podium.views.polls.poll(str(room_id), str(poll_id), actor.presents)
    if found is None:
        raise NotFoundError("poll not found")
    return found


@router.post("/{room_id}/polls/{poll_id}/open", response_model=PollState, responses=problems(403))
def open_poll(room_id: UUID, poll_id: UUID, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Open the poll in the running session: everyone present may answer."""
    return respond(podium, podium.polls.open(room_id, who, poll_id))


@router.post("/{room_id}/polls/{poll_id}/close", response_model=PollState, responses=problems(403))
def close_poll(room_id: UUID, poll_id: UUID, who: RoomCaller, podium: PodiumDep) -> JSONResponse:
    """Close the poll: no answer is taken after this."""
    return respond(podium, podium.polls.close(room_id, who, poll_id))


@router.post(
    "/{room_id}/polls/{poll_id}/sharing", response_model=PollState, responses=problems(403)
)
def share(
    room_id: UUID, poll_id: UUID, body: SharingIn, who: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """Show the results to the attendees (``shared: true``) or hide them again."""
    return respond(podium, podium.polls.share(room_id, who, poll_id, body.shared))


@router.post(
    "/{room_id}/polls/{poll_id}/answers", response_model=PollAnswerState, responses=problems(403)
)
def answer(
    room_id: UUID, poll_id: UUID, body: AnswerIn, who: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """Answer one question of an open poll; answering again before the close replaces your
    answer (it is counted once). The answer does not say whether it is right."""
    return respond(podium, _answer(podium, who, room_id, poll_id, body))


@router.get(
    "/{room_id}/polls/{poll_id}/results", response_model=PollResults, responses=problems(403)
)
def results(room_id: UUID, poll_id: UUID, who: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """Live results for presenters; for attendees once a presenter shares them."""
    actor = podium.polls.viewer(room_id, who)
    found = podium.views.polls.results(str(room_id), str(poll_id), actor.presents)
    if found is None:
        raise NotFoundError("poll not found")
    if not actor.presents and not found["results_shared"]:
        raise PermissionDeniedError("the presenter has not shared this poll's results")
    return found


@router.get(
    "/{room_id}/polls/{poll_id}/answers", response_model=PollScores, responses=problems(403)
)
def scores(room_id: UUID, poll_id: UUID, who: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """Each person's answers and test score, for presenters (and statistics)."""
    actor = podium.polls.viewer(room_id, who)
    require_presenter(actor, "read each person's answers")
    found = podium.views.polls.answers(str(room_id), str(poll_id))
    if found is None:
        raise NotFoundError("poll not found")
    return found


def _answer_frame(podium: Podium, caller: Caller, room_id: UUID, frame: AnswerFrame) -> Result:
    return _answer(podium, caller, room_id, frame.poll_id, frame)


def snapshot(podium: Podium, room_id: UUID, session: int, actor: Actor) -> dict[str, Any]:
    """The room snapshot's part (decision 0020): the session's open poll, if one is, with its
    results so far when ``actor`` may read them (presenters; attendees once shared)."""
    opened = [
        poll
        for poll in podium.views.polls.polls(str(room_id), actor.presents)
        if poll["status"] == "open" and poll["session"] == session
    ]
    if not opened:
        return {"poll": None}
    poll = opened[-1]
    results = podium.views.polls.results(str(room_id), str(poll["poll_id"]), actor.presents)
    if results is not None and not actor.presents and not results["results_shared"]:
        results = None
    return {"poll": {**poll, "results": results}}


ACTIONS = {"poll.answer": SocketAction(AnswerFrame, _answer_frame)}
