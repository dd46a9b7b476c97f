"""A session's phone calls for the room's owner: the call detail records (decision 0019)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Path

from api.deps import CurrentPrincipal, PodiumDep
from api.responses.base import Answer
from api.routes.rooms import own_room
from api.schemas import INT_MAX

router = APIRouter(prefix="/rooms", tags=["dial-in"])


class CallRecord(Answer):
    """One call: from which number to which gateway number, when, and what it costs."""

    call_id: str
    caller: str
    gateway: str
    toll_free: bool
    role: str | None
    started_at: str
    ended_at: str | None
    duration_seconds: int | None
    billed_minutes: int | None
    cost: int | None


class SessionCalls(Answer):
    room_id: str
    session: int
    calls: list[CallRecord]
    toll_free_minutes: int
    toll_free_cost: int


@router.get("/{room_id}/sessions/{n}/calls", response_model=SessionCalls)
def calls(
    room_id: UUID,
    n: Annotated[int, Path(ge=1, le=INT_MAX, description="the session's number")],
    who: CurrentPrincipal,
    podium: PodiumDep,
) -> dict[str, Any]:
    """The phone calls into session ``n`` of the room: one call detail record each (number
    called from, gateway number, start, end, duration, toll-free or not, cost in cents by the
    per-minute rate). A call still connected has no end, duration or cost yet."""
    own_room(podium, who, room_id)
    records = podium.views.dial_in_calls.calls(str(room_id), n)
    minutes, cost = podium.views.dial_in_calls.toll_free_cost(str(room_id), n)
    return {
        "room_id": str(room_id),
        "session": n,
        "calls": records,
        "toll_free_minutes": minutes,
        "toll_free_cost": cost,
    }
