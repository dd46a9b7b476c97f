"""The session report worker: a requested report is rendered, stored and recorded (0030).

A policy (decision 0013) on ``SessionReport.Requested``. It waits (retrying the event each
round) until the read models it reads have seen the request, marks the report IN PROGRESS,
gathers the session's facts from those read models, renders the PDF (an injected renderer:
``podium.session_pdf``), puts it in storage under the report's own key and records it
FINISHED. Both records are under the request's ``caused_by`` keys, so a crash anywhere
repeats at most the rendering, which overwrites the same key: one file, one record.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic as topic

from commands.session_reports import SessionReports
from commands.storage import Storage, report_key
from commands.store import EventStore
from domain.session_report import FINISHED, SessionReport
from projections.attendance.view import AttendanceView
from projections.live_chat.view import LiveChatView
from projections.live_cta.view import LiveCtaView
from projections.polls.view import PollsView
from projections.projector import Projector
from projections.rooms.view import RoomsView
from workers.policies import NotReadyError, caused_by

Renderer = Callable[[dict[str, Any], str], tuple[bytes, int]]
READ = frozenset({"rooms", "attendance", "live_chat", "polls", "live_cta"})


@dataclass(frozen=True)
class ReportSources:
    """The read models a report is made of."""

    rooms: RoomsView
    attendance: AttendanceView
    chat: LiveChatView
    polls: PollsView
    ctas: LiveCtaView


def _local(value: str | None, zone: Any) -> str | None:
    if not value:
        return None
    return datetime.fromisoformat(value).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def _device(row: dict[str, Any]) -> str:
    if row["caller"]:
        return "phone"
    parts = [p for p in (row["browser"], row["os"]) if p]
    kind = row["device"] or ""
    return f"{', '.join(parts)} ({kind})" if parts and kind else ", ".join(parts) or kind


def report_data(sources: ReportSources, room_id: str, session: int) -> dict[str, Any]:
    """Everything the report prints about session ``session`` of the room, as plain data."""
    room = sources.rooms.room(room_id)
    found = sources.attendance.session(room_id, session)
    if room is None or found is None:
        raise NotReadyError(f"session {session} of room {room_id} is not in the read models")
    zone = ZoneInfo(str(room["timezone"]))
    started, ended = found["started_at"], found["ended_at"]
    until = datetime.fromisoformat(ended) if ended else datetime.fromisoformat(started)
    attendees = sources.attendance.attendees(room_id, session, until)
    polls = [p for p in sources.polls.polls(room_id, presenter=True) if p["session"] == session]
    chat = sources.chat.history(room_id, session, presenter=True, email="")
    return {
        "room_name": room["name"],
        "time_zone": str(room["timezone"]),
        "session": session,
        "session_id": found["session_ref"],
        "started_at": _local(started, zone),
        "ended_at": _local(ended, zone),
        "duration_seconds": (
            int((until - datetime.fromisoformat(started)).total_seconds()) if ended else None
        ),
        "total_visitors": found["total_visitors"],
        "max_visitors": found["max_visitors"],
        "chat_messages": len(chat),
        "questions": sum(int(a["questions"]) for a in attendees),
        "attendees": [
            {
                "nickname": a["nickname"],
                "email": None if a["caller"] else a["email"],
                "caller": a["caller"],
                "role": a["role"],
                "seconds_present": a["seconds_present"],
                "device": _device(a),
                "country": a["country"],
                "rating": a["rating"],
                "rating_comment": a["rating_comment"],
            }
            for a in attendees
        ],
        "polls": [
            {
                "name": p["name"],
                "questions": len(p["questions"]),
                "respondents": (sources.polls.results(room_id, p["poll_id"], True) or {}).get(
                    "respondents", 0
                ),
            }
            for p in polls
        ],
        "ctas": sources.ctas.calls_to_action(room_id, session),
    }


class RenderSessionReport:
    """A report was asked for: render it, store it, record it, once."""

    name: str = "render_session_report"
    topics: tuple[str, ...] = (topic(SessionReport.Requested),)

    def __init__(
        self,
        store: EventStore,
        reports: SessionReports,
        projector: Projector,
        sources: ReportSources,
        storage: Storage,
        render: Renderer,
    ) -> None:
        self.store, self.reports, self.projector = store, reports, projector
        self.sources, self.storage, self.render = sources, storage, render

    def react(self, event: Any, notification: Notification) -> None:
        report = self.store.load(event.originator_id)
        assert isinstance(report, SessionReport)
        if report.status == FINISHED:
            return
        if READ & set(self.projector.wait_for(notification.id)):
            raise NotReadyError("the read models have not reached the report's request")
        self.reports.begin(report.id, caused_by(self.name, notification, "begin"))
        data = report_data(self.sources, str(report.room_id), report.session)
        pdf, pages = self.render(data, report.language)
        key = report_key(report.account_id, report.room_id, report.session, report.language)
        with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as out:
            out.write(pdf)
        size = self.storage.put(key, Path(out.name))
        finished = caused_by(self.name, notification, "finish")
        self.reports.finish(report.id, key, size, pages, finished)
