"""Q&A in a live session over HTTP, and its socket actions (decision 0014).

Attendees ask; hosts and presenters answer (with a text) or dismiss. The list is a read model
brought up to each answer's write, so whoever asks next sees the change.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import Field

from api.contract import problems
from api.deps import IdempotencyHeader, PodiumDep, respond
from api.responses.engagement import QuestionList, QuestionOut
from api.routes.live.actions import SocketAction
from api.routes.live.deps import RoomCaller
from api.routes.live.keys import room_idempotency
from api.schemas import Body, Position
from commands.errors import PermissionDeniedError
from commands.live.actors import Actor, Caller
from commands.unit_of_work import Result
from domain.live.questions import MAX_ANSWER, MAX_QUESTION
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["live questions"])


class QuestionIn(Body):
    text: Annotated[str, Field(min_length=1, max_length=MAX_QUESTION)]


class AnswerIn(Body):
    text: Annotated[str, Field(min_length=1, max_length=MAX_ANSWER)]


class AnswerActionIn(AnswerIn):
    question_id: UUID


class DismissActionIn(Body):
    question_id: UUID


def ask(podium: Podium, caller: Caller, room_id: UUID, body: QuestionIn) -> Result:
    return podium.questions.ask(caller, room_id, body.text)


def answer(podium: Podium, caller: Caller, room_id: UUID, body: AnswerActionIn) -> Result:
    return podium.questions.answer(caller, room_id, body.question_id, body.text)


def dismiss(podium: Podium, caller: Caller, room_id: UUID, body: DismissActionIn) -> Result:
    return podium.questions.dismiss(caller, room_id, body.question_id)


def snapshot(podium: Podium, room_id: UUID, session: int, actor: Actor) -> dict[str, Any]:
    """The room snapshot's part (decision 0020): the questions as ``actor`` may see them."""
    view = podium.views.live_questions
    return {"questions": view.questions(str(room_id), session, actor.presents)}


ACTIONS = {
    "question.ask": SocketAction(QuestionIn, ask),
    "question.answer": SocketAction(AnswerActionIn, answer),
    "question.dismiss": SocketAction(DismissActionIn, dismiss),
}


@router.post(
    "/{room_id}/questions",
    status_code=201,
    response_model=QuestionOut,
    responses=problems(403, 409, 422),
)
def ask_question(
    room_id: UUID, body: QuestionIn, caller: RoomCaller, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Ask the presenters a question (at most 1,000 characters) in the running session."""
    key = room_idempotency(idem, room_id, caller)
    return respond(podium, podium.questions.ask(caller, room_id, body.text, key))


@router.post(
    "/{room_id}/questions/{question_id}/answer",
    response_model=QuestionOut,
    responses=problems(403, 404, 409, 422),
)
def answer_question(
    room_id: UUID, question_id: UUID, body: AnswerIn, caller: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """A host or presenter answers an open question; answering it again the same changes
    nothing, and a dismissed or otherwise answered question is a 409."""
    return respond(podium, podium.questions.answer(caller, room_id, question_id, body.text))


@router.post(
    "/{room_id}/questions/{question_id}/dismiss",
    response_model=QuestionOut,
    responses=problems(403, 404, 409),
)
def dismiss_question(
    room_id: UUID, question_id: UUID, caller: RoomCaller, podium: PodiumDep
) -> JSONResponse:
    """A host or presenter dismisses an open question: it leaves the attendees' list."""
    return respond(podium, podium.questions.dismiss(caller, room_id, question_id))


@router.get("/{room_id}/questions", response_model=QuestionList, responses=problems(403))
def question_list(
    room_id: UUID,
    caller: RoomCaller,
    podium: PodiumDep,
    session: Annotated[Position | None, Query(description="presenters: another session")] = None,
) -> dict[str, Any]:
    """The session's questions in the order asked: every one for presenters (with who asked),
    the open and answered ones for attendees."""
    actor = podium.questions.reader(caller, room_id)
    if session is not None and session != actor.session and not actor.presents:
        raise PermissionDeniedError("participants read the questions of their own session only")
    n = session or actor.session
    listed = podium.views.live_questions.questions(str(room_id), n, actor.presents)
    return {"room_id": str(room_id), "session": n, "questions": listed}
