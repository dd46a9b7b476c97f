"""A room's sessions and who attended them (reference 3.2, 3.3), from the attendance model.

A session's id is the position in the log of the event that started it: an int, like
ClickMeeting's, unique across every room and account (``chats/{session_id}`` names no room),
and the same after any rebuild. A session of another room or account is not found (404).
PDF reports are not generated yet: every language shows the ``generate_pdf_url`` to ask for
one, the shape ClickMeeting gives before a report exists.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import PodiumDep
from api.v1.deps import CallerDep, RoomDep
from api.v1.errors import V1Error
from api.v1.formats import render
from api.v1.objects import local_iso, zone
from podium.bootstrap import Podium

router = APIRouter(prefix="/conferences/{room_id:number}/sessions")
PDF_LANGUAGES = ("en", "pl", "ru", "de", "es")


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
    pdf = {
        lang: {"generate_pdf_url": f"{base}/generate-pdf/{lang}", "progress": 0}
        for lang in PDF_LANGUAGES
    }
    return render(request, {**_counters(row, found), "attendees": attendees, "pdf": pdf})


@router.get("/{session_id:number}/attendees")
def attendees(
    request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep, session_id: int
) -> Response:
    """Who attended the session, in the order they first came (reference 3.3)."""
    found = owned_session(podium, row, session_id)
    return render(request, [attendee_object(row, found, a) for a in _attendees(podium, found)])
