"""What a session's end sent people to: the thank-you page and the thank-you emails (issue 10 §5).

The page is the one the session's end carried (``LiveSession.Ended.thank_you_page_url``, which
every room client was sent to; the feed keeps the event as they got it). The emails are the
``thank_you`` messages the end's reaction queued (``workers.session_policies``): to the
session's participants, queued once it ended and before the room's next session ended.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson

from podium.bootstrap import Podium

ENDED = "live_session.ended"


def thank_you(podium: Podium, account_id: str, room_id: UUID, n: int) -> dict[str, Any]:
    """The session's thank-you page (None: none, or not ended) and the emails it sent."""
    ended = [
        row
        for row in podium.views.room_feed.session_events(str(room_id), n)
        if row["kind"] == ENDED
    ]
    if not ended:
        return {"page_url": None, "emails": []}
    payload = orjson.loads(ended[-1]["payload"])
    sessions = podium.views.live_sessions.sessions(str(room_id))
    ends = [s["ended_at"] for s in sessions if s["number"] > n and s["ended_at"]]
    since = next(s["ended_at"] for s in sessions if s["number"] == n)
    participants = {
        str(row["email"]).strip().lower()
        for row in podium.views.rooms.admissions(str(room_id))
        if row["session"] == n
    }
    mails = podium.views.outbox.sent_for(account_id, "thank_you", since, min(ends, default=None))
    emails = [
        {"recipient": m["recipient"], "status": m["status"], "queued_at": m["queued_at"]}
        for m in mails
        if m["recipient"] in participants
    ]
    return {"page_url": payload.get("thank_you_page_url"), "emails": emails}
