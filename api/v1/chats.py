"""Chat histories: the account's sessions that had a chat, and each one's history as a zip
(``api.chat_history``: one UTF-8 text file, a line per message)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.chat_history import chat_zip
from api.deps import PodiumDep
from api.v1.deps import CallerDep
from api.v1.errors import V1Error
from api.v1.formats import render
from api.v1.objects import zone
from commands.accounts import Principal
from podium.bootstrap import Podium

router = APIRouter(prefix="/chats")


def _history(podium: Podium, session: dict[str, Any]) -> list[dict[str, Any]]:
    return podium.views.live_chat.history(
        session["room_id"], int(session["session"]), presenter=True, email=""
    )


def _started(room: dict[str, Any], session: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(session["started_at"]).astimezone(zone(str(room["timezone"])))


def _account_rooms(podium: Podium, who: Principal) -> list[dict[str, Any]]:
    now, account = podium.clock.now(), str(who.account_id)
    return podium.views.rooms.rooms(account, True, now) + podium.views.rooms.rooms(
        account, False, now
    )


@router.get("")
def chats(request: Request, podium: PodiumDep, who: CallerDep) -> Response:
    """One entry per session with a chat history, newest first: ``id, name, time_zone, date,
    time, download_link``."""
    entries = []
    rooms = _account_rooms(podium, who)
    chatted = podium.views.live_chat.sessions_with_messages([str(r["room_id"]) for r in rooms])
    chatted_rooms = {room_id for room_id, _ in chatted}
    for room in rooms:
        if str(room["room_id"]) not in chatted_rooms:
            continue
        for session in podium.views.attendance.sessions(str(room["room_id"])):
            if (session["room_id"], int(session["session"])) not in chatted:
                continue
            started = _started(room, session)
            entries.append(
                {
                    "id": session["session_ref"],
                    "name": room["name"],
                    "time_zone": room["timezone"],
                    "date": started.date().isoformat(),
                    "time": started.strftime("%H:%M:%S"),
                    "download_link": f"{podium.settings.base_url}/v1/chats/"
                    f"{session['session_ref']}",
                }
            )
    entries.sort(key=lambda e: e["id"], reverse=True)
    return render(request, entries)


@router.get("/{session_id:number}")
def chat_download(podium: PodiumDep, who: CallerDep, session_id: int) -> Response:
    """The session's chat history: a zip (``application/zip``, an attachment named
    ``chat_history_<session>_<YYYYMMDD>_<HHMMSS>.zip``) holding it as text."""
    session = podium.views.attendance.session_by_ref(session_id)
    room = podium.views.rooms.room(session["room_id"]) if session else None
    if session is None or room is None or room["account_id"] != str(who.account_id):
        raise V1Error(404, f"session {session_id} not found", "session_id")
    messages = _history(podium, session)
    if not messages:
        raise V1Error(404, f"session {session_id} has no chat history", "session_id")
    return chat_zip(room, session, messages, zone(str(room["timezone"])))
