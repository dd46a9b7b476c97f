"""The account timeline: everything that happened in the account, most recent first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import CurrentPrincipal, PodiumDep
from api.responses.billing import Timeline
from api.schemas import Position
from domain.login import has_billing_rights
from podium.bootstrap import Podium

router = APIRouter(prefix="/timeline", tags=["timeline"])
SESSION_KINDS = frozenset({"LiveSession.Started", "LiveSession.Ended"})


@router.get("", response_model=Timeline)
def timeline(
    who: CurrentPrincipal,
    podium: PodiumDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[Position | None, Query()] = None,
) -> dict[str, Any]:
    """Most recent first; page back with `before` = the last `position` you saw.

    Billing and subaccount events are shown to the account's owner only (docs/roles.md). Each
    session's start and end name the session, with its visitor counts (`session`)."""
    owner = has_billing_rights(who.role)
    entries = podium.views.timeline.timeline(str(who.account_id), limit, before, owner=owner)
    return {"entries": with_sessions(podium, entries)}


def with_sessions(podium: Podium, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A session's start and end entries carry the session: its room, its number there, its
    start and end and its counts as they stand now (issue 10 §5)."""
    ids = {str(e["subject_id"]) for e in entries if e["kind"] in SESSION_KINDS}
    sessions = podium.views.attendance.sessions_by_id(ids)
    for entry in entries:
        found = sessions.get(str(entry["subject_id"])) if entry["kind"] in SESSION_KINDS else None
        if found is not None:
            entry["session"] = {
                "room_id": found["room_id"],
                "number": found["session"],
                "started_at": found["started_at"],
                "ended_at": found["ended_at"],
                "total_visitors": found["total_visitors"],
                "max_visitors": found["max_visitors"],
            }
    return entries
