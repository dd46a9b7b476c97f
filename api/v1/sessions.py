"""A room's sessions and who attended them (reference 3.2, 3.3), from the attendance model.

A session's id is the position in the log of the event that started it: an int, like
ClickMeeting's, unique across every room and account (``chats/{session_id}`` names no room),
and the same after any rebuild. A session of another room or account is not found (404).

PDF reports (decision 0030): ``generate-pdf/{lang}`` asks for one (once: asking again answers
its status) and a worker makes it: NEW, IN PROGRESS, then FINISHED with a ``url`` that
downloads it with the same API key. The detail's ``pdf`` shows each language's state, or the
``generate_pdf_url`` shape ClickMeeting gives before a report is asked for.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from api.deps import PodiumDep
from api.v1.deps import CallerDep, RoomDep, room_uuid
from api.v1.errors import V1Error
from api.v1.formats import render
from api.v1.objects import local_iso, zone
from domain.session_report import FINISHED, REPORT_LANGUAGES
from podium.bootstrap import Podium

router = APIRouter(prefix="/conferences/{room_id:number}/sessions")
PDF_LANGUAGES = REPORT_LANGUAGES


def owned_session(podium: Podium, room: dict[str, Any], session_id: int) -> dict[str, Any]:
    """Session ``session_id`` of ``room`` (already the caller's), else ClickMeeting's 404."""
    found = podium.views.attendance.session_by_ref(session_id)
    if found is None or found["room_id"] != str(room["room_id"]):
        raise V1Error(404, f"session {session_id} not found", "session_id")
    return found


def _counters(room: dict[str, Any], session: dict[str, Any]) -> dict[str, Any]:
    tz = zone(str(room["timezone"]))
    return {
        "total_visitors": session["total_visitors"],
        "max_visitors": session["max_visitors"],
        "start_date": local_iso(session["started_at"], tz),
        "end_date": local_iso(session["ended_at"], tz),
    }


def _end_of(attendee: dict[str, Any], session: dict[str, Any]) -> str | None:
    """When the person left for the last time; None while they are still in."""
    return None if attendee["present"] else attendee["left_at"] or session["ended_at"]


def _attendees(podium: Podium, session: dict[str, Any]) -> list[dict[str, Any]]:
    return podium.views.attendance.attendees(
        session["room_id"], int(session["session"]), podium.clock.now()
    )


def attendee_object(
    room: dict[str, Any], session: dict[str, Any], row: dict[str, Any]
) -> dict[str, Any]:
    """One attendee as ``.../attendees`` lists it: ``device`` is the User-Agent (reference
    3.3); a phone participant's is "phone"."""
    tz = zone(str(room["timezone"]))
    return {
        "uid": str(row["position"]),
        "role": row["role"],
        "nickname": row["nickname"],
        "email": row["email"] if row["caller"] is None else None,
        "device": "phone" if row["caller"] is not None else row["user_agent"] or None,
        "rating": row["rating"],
        "rating_comment": row["rating_comment"],
        "start_date": local_iso(row["joined_at"], tz),
        "end_date": local_iso(_end_of(row, session), tz),
        "user_ip": row["ip"] or None,
    }


@router.get("")
def sessions(request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep) -> Response:
    """The room's sessions, oldest first: ``id, total_visitors, max_visitors, start_date,
    end_date``."""
    found = podium.views.attendance.sessions(str(row["room_id"]))
    return render(request, [{"id": s["session_ref"], **_counters(row, s)} for s in found])


@router.get("/{session_id:number}")
def session(
    request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep, session_id: int
) -> Response:
    """One session: its counters, who attended (``id, start_date, end_date, login, email``)
    and, per language, its PDF report."""
    found = owned_session(podium, row, session_id)
    tz = zone(str(row["timezone"]))
    base = f"{podium.settings.base_url}/v1/conferences/{row['number']}/sessions/{session_id}"
    attendees = [
        {
            "id": a["position"],
            "start_date": local_iso(a["joined_at"], tz),
            "end_date": local_iso(_end_of(a, found), tz),
            "login": a["nickname"],
            "email": a["email"] if a["caller"] is None else None,
        }
        for a in _attendees(podium, found)
    ]
    reports = podium.session_reports.states(room_uuid(row), int(found["session"]))
    pdf = {lang: pdf_object(base, lang, reports[lang]) for lang in PDF_LANGUAGES}
    return render(request, {**_counters(row, found), "attendees": attendees, "pdf": pdf})


@router.get("/{session_id:number}/attendees")
def attendees(
    request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep, session_id: int
) -> Response:
    """Who attended the session, in the order they first came (reference 3.3)."""
    found = owned_session(podium, row, session_id)
    return render(request, [attendee_object(row, found, a) for a in _attendees(podium, found)])


def pdf_object(base: str, lang: str, report: dict[str, Any] | None) -> dict[str, Any]:
    """A report's state as ClickMeeting shows it: FINISHED with its ``url``; NEW or IN
    PROGRESS with its status; never asked for: the ``generate_pdf_url`` to ask."""
    if report is None:
        return {"generate_pdf_url": f"{base}/generate-pdf/{lang}", "progress": 0}
    if report["status"] == FINISHED:
        return {"status": FINISHED, "url": f"{base}/pdf/{lang}", "progress": 100}
    return {
        "status": report["status"],
        "generate_pdf_url": f"{base}/generate-pdf/{lang}",
        "progress": report["progress"],
    }


def _offered(lang: str) -> str:
    if lang not in PDF_LANGUAGES:
        offered = ", ".join(PDF_LANGUAGES)
        raise V1Error(422, f"no report in language {lang!r}; offered: {offered}", "lang")
    return lang


@router.get("/{session_id:number}/generate-pdf/{lang}")
def generate_pdf(
    request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep, session_id: int, lang: str
) -> Response:
    """Ask for the session's PDF report in ``lang`` (en, pl, ru, de, es) and answer its
    status: ``{"status": "NEW"|"IN PROGRESS", "progress": 0}`` while a worker makes it, then
    ``{"status": "FINISHED", "url": ..., "progress": 100}``. Asking again makes no second
    report. A session still running has no report yet (422)."""
    found = owned_session(podium, row, session_id)
    _offered(lang)
    if found["ended_at"] is None:
        raise V1Error(
            422,
            f"session {session_id} is still running; its report comes after the end",
            "session_id",
        )
    result = podium.session_reports.request(
        who.account_id, room_uuid(row), int(found["session"]), session_id, lang
    )
    base = f"{podium.settings.base_url}/v1/conferences/{row['number']}/sessions/{session_id}"
    state = pdf_object(base, lang, result.body)
    state.pop("generate_pdf_url", None)
    return render(request, state)


@router.get(
    "/{session_id:number}/pdf/{lang}",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/pdf": {}}}},
)
def pdf(
    podium: PodiumDep, who: CallerDep, row: RoomDep, session_id: int, lang: str
) -> StreamingResponse:
    """The finished report (``application/pdf``); 404 until it is finished."""
    found = owned_session(podium, row, session_id)
    report = podium.session_reports.state(room_uuid(row), int(found["session"]), _offered(lang))
    size = podium.storage.size(report["key"]) if report and report["key"] else None
    if report is None or report["status"] != FINISHED or size is None:
        raise V1Error(404, f"the {lang} report of session {session_id} is not ready", "lang")
    name = f"session_report_{session_id}_{lang}.pdf"
    return StreamingResponse(
        podium.storage.chunks(report["key"]),
        media_type="application/pdf",
        headers={
            "Content-Length": str(size),
            "Content-Disposition": f"attachment; filename={name}",
        },
    )
