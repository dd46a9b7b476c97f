"""A session's chat history as a download: a zip holding it as UTF-8 text.

One line per message in the order sent, with the time in the room's zone, who wrote it
(nickname and role), to whom, and the text; a message a presenter deleted stays, marked, as
the organiser's record of the session. Built in memory with the standard library's
``zipfile``: a session's chat is small. Served by ``GET /v1/chats/{session_id}`` and the
panel's ``GET /rooms/{id}/sessions/{n}/chat-history``.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, tzinfo
from typing import Any

from fastapi.responses import Response


def chat_text(room: dict[str, Any], messages: list[dict[str, Any]], tz: tzinfo) -> str:
    """The history as text: ``[date time] nickname (role) to whom: text``, one a line."""
    lines = [f"Chat history of {room['name']} ({room['timezone']})"]
    for message in messages:
        at = datetime.fromisoformat(message["sent_at"]).astimezone(tz)
        deleted = " [deleted]" if message["deleted"] else ""
        # One message, one line: a newline in a message would read as another message.
        text = " ".join(str(message["text"]).splitlines())
        lines.append(
            f"[{at:%Y-%m-%d %H:%M:%S}] {message['nickname']} ({message['role']}) "
            f"to {message['to']}{deleted}: {text}"
        )
    return "\n".join(lines) + "\n"


def chat_zip(
    room: dict[str, Any], session: dict[str, Any], messages: list[dict[str, Any]], tz: tzinfo
) -> Response:
    """``application/zip``, an attachment ``chat_history_<session>_<YYYYMMDD>_<HHMMSS>.zip``
    (the session's v1 id and its start in ``tz``, the room's zone) holding the same name in
    ``.txt``."""
    started = datetime.fromisoformat(session["started_at"]).astimezone(tz)
    stem = f"chat_history_{session['session_ref']}_{started:%Y%m%d_%H%M%S}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.txt", chat_text(room, messages, tz))
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f"attachment; filename={stem}.zip"},
    )
