"""After a session: its attendance report in the panel's conventions (issue 10 §1, §4).

The same facts the v1 session endpoints show, with the panel's names: sessions by their number
in the room, times in UTC, durations in seconds, and every join with the browser, system,
device and country recorded when it was written (decision 0027). The owner's API key only; a
session that never started, or a room of another account, is not found.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, Response, StreamingResponse

from api.chat_history import chat_zip
from api.contract import problems
from api.deps import CurrentPrincipal, PodiumDep
from api.responses.base import Answer
from api.routes.rooms import own_room
from api.schemas import INT_MAX
from api.session_thanks import thank_you
from api.v1.objects import zone
from domain.errors import NotFoundError, RuleViolationError
from domain.session_report import FINISHED, check_language
from podium.bootstrap import Podium

router = APIRouter(prefix="/rooms", tags=["session reports"])
SessionNumber = Annotated[int, Path(ge=1, le=INT_MAX, description="the session's number")]


class JoinRow(Answer):
    kind: str  # admitted, returned (again while in), reentered (after leaving)
    joined_at: str
    left_at: str | None
    browser: str
    os: str
    device: str
    ip: str
    country: str
    country_from: str  # "hint" (the client said), "ip", or "" (unknown)


class AttendeeRow(Answer):
    uid: str
    email: str | None
    nickname: str
    role: str
    via: str
    joined_at: str
    left_at: str | None
    present: bool
    seconds_present: int
    browser: str
    os: str
    device: str
    ip: str
    country: str
    questions: int
    chat_messages: int
    poll_answers: int  # questions of polls and tests answered
    poll_points: int  # points scored in tests
    ctas_clicked: int
    rating: str | None
    rating_comment: str | None
    caller: str | None
    call_seconds: int | None
    joins: list[JoinRow]


class ThankYouEmail(Answer):
    recipient: str
    status: str
    queued_at: str


class ThankYou(Answer):
    page_url: str | None  # where the end sent every room client (None: the room has none)
    emails: list[ThankYouEmail]  # the thank-you emails the end queued, with delivery status


class SessionReport(Answer):
    room_id: str
    session: int
    session_id: int  # the id the v1 API and chat downloads use
    started_at: str
    ended_at: str | None
    total_visitors: int
    max_visitors: int
    thank_you: ThankYou


class SessionAttendees(Answer):
    room_id: str
    session: int
    attendees: list[AttendeeRow]


def reported_session(podium: Podium, room_id: UUID, n: int) -> dict[str, Any]:
    found = podium.views.attendance.session(str(room_id), n)
    if found is None:
        raise NotFoundError(f"the room has no session {n}")
    return found


JOIN_KEYS = tuple(JoinRow.model_fields)


def _attendee(podium: Podium, row: dict[str, Any]) -> dict[str, Any]:
    joins = podium.views.attendance.joins(row["attendance_id"])
    keys = set(AttendeeRow.model_fields) - {"uid", "joins", "email"}
    return {
        **{key: row[key] for key in keys},
        "uid": str(row["position"]),
        "email": None if row["caller"] else row["email"],  # a phone's identity is no address
        "joins": [{key: j[key] for key in JOIN_KEYS} for j in joins],
    }


@router.get("/{room_id}/sessions/{n}/report", response_model=SessionReport, responses=problems(404))
def report(
    room_id: UUID, n: SessionNumber, who: CurrentPrincipal, podium: PodiumDep
) -> dict[str, Any]:
    """Session ``n``'s counters: people who came (`total_visitors`), most present at once
    (`max_visitors`), start and end."""
    own_room(podium, who, room_id)
    found = reported_session(podium, room_id, n)
    return {
        "room_id": str(room_id),
        "session": n,
        "session_id": found["session_ref"],
        "started_at": found["started_at"],
        "ended_at": found["ended_at"],
        "total_visitors": found["total_visitors"],
        "max_visitors": found["max_visitors"],
        "thank_you": thank_you(podium, str(who.account_id), room_id, n),
    }


@router.get(
    "/{room_id}/sessions/{n}/attendees", response_model=SessionAttendees, responses=problems(404)
)
def attendees(
    room_id: UUID, n: SessionNumber, who: CurrentPrincipal, podium: PodiumDep
) -> dict[str, Any]:
    """Who attended session ``n``, in the order they first came: role, time present (a visit
    still open counts up to now), device and country of their latest join, what they did
    (questions, chat messages, poll answers and test points, calls to action clicked), a
    phone participant's number and call length, and each join with its own client."""
    own_room(podium, who, room_id)
    reported_session(podium, room_id, n)
    rows = podium.views.attendance.attendees(str(room_id), n, podium.clock.now())
    return {
        "room_id": str(room_id),
        "session": n,
        "attendees": [_attendee(podium, row) for row in rows],
    }


@router.get(
    "/{room_id}/sessions/{n}/chat-history",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}}, **problems(404)},
)
def chat_history(
    room_id: UUID, n: SessionNumber, who: CurrentPrincipal, podium: PodiumDep
) -> Response:
    """Session ``n``'s chat as a zip of text (the v1 `chats/{session_id}` download): every
    message in the order sent, deleted ones marked; 404 when the chat had none."""
    room = own_room(podium, who, room_id)
    found = reported_session(podium, room_id, n)
    messages = podium.views.live_chat.history(str(room_id), n, presenter=True, email="")
    if not messages:
        raise NotFoundError(f"session {n} has no chat history")
    return chat_zip(room, found, messages, zone(str(room["timezone"])))


class PdfReport(Answer):
    """A session's PDF report in one language: NEW, IN PROGRESS, FINISHED (then ``url``)."""

    language: str
    status: str
    progress: int
    url: str | None
    pages: int
    size: int


def _pdf_answer(room_id: UUID, n: int, state: dict[str, Any]) -> dict[str, Any]:
    done = state["status"] == FINISHED
    url = f"/rooms/{room_id}/sessions/{n}/pdf/{state['language']}/file" if done else None
    return {key: state[key] for key in ("language", "status", "progress", "pages", "size")} | {
        "url": url
    }


@router.post(
    "/{room_id}/sessions/{n}/pdf/{language}",
    response_model=PdfReport,
    status_code=202,
    responses=problems(404, 409),
)
def ask_for_pdf(
    room_id: UUID, n: SessionNumber, language: str, who: CurrentPrincipal, podium: PodiumDep
) -> JSONResponse:
    """Ask for session ``n``'s PDF report in ``language`` (en, pl, ru, de, es): 202 while a
    worker makes it, 200 with its `url` once made. Asking again makes no second report (the
    report is keyed by session and language, so no Idempotency-Key is needed). A session still
    running has no report yet (409)."""
    own_room(podium, who, room_id)
    found = reported_session(podium, room_id, n)
    check_language(language)
    if found["ended_at"] is None:
        raise RuleViolationError(f"session {n} is still running; its report comes after the end")
    result = podium.session_reports.request(
        who.account_id, room_id, n, int(found["session_ref"]), language
    )
    answer = _pdf_answer(room_id, n, result.body)
    return JSONResponse(answer, status_code=200 if answer["url"] else 202)


@router.get(
    "/{room_id}/sessions/{n}/pdf/{language}", response_model=PdfReport, responses=problems(404)
)
def pdf_status(
    room_id: UUID, n: SessionNumber, language: str, who: CurrentPrincipal, podium: PodiumDep
) -> dict[str, Any]:
    """Where session ``n``'s report in ``language`` is; 404 if nobody asked for it."""
    own_room(podium, who, room_id)
    reported_session(podium, room_id, n)
    state = podium.session_reports.state(room_id, n, language)
    if state is None:
        raise NotFoundError(f"no {language} report of session {n} was asked for")
    return _pdf_answer(room_id, n, state)


@router.get(
    "/{room_id}/sessions/{n}/pdf/{language}/file",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/pdf": {}}}, **problems(404)},
)
def pdf_file(
    room_id: UUID, n: SessionNumber, language: str, who: CurrentPrincipal, podium: PodiumDep
) -> StreamingResponse:
    """The finished report (`application/pdf`, an attachment); 404 until it is finished."""
    own_room(podium, who, room_id)
    found = reported_session(podium, room_id, n)
    state = podium.session_reports.state(room_id, n, language)
    size = podium.storage.size(state["key"]) if state and state["key"] else None
    if state is None or state["status"] != FINISHED or size is None:
        raise NotFoundError(f"the {language} report of session {n} is not ready")
    name = f"session_report_{found['session_ref']}_{language}.pdf"
    return StreamingResponse(
        podium.storage.chunks(state["key"]),
        media_type="application/pdf",
        headers={
            "Content-Length": str(size),
            "Content-Disposition": f"attachment; filename={name}",
        },
    )
