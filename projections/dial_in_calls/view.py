"""A session's call detail records, and what its toll-free minutes cost."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.dial_in import billable_minutes, call_cost
from projections.store import ReadStore

# The session's end, beside each call: a call still connected when its session ended is billed
# up to that end (the event was over for everyone; the gateway hangs up at its next report).
QUERY = (
    "SELECT c.provider_call_id, c.caller, c.gateway, c.toll_free, c.role, c.started_at, "
    "c.ended_at, s.ended_at AS session_ended_at FROM dial_in_calls c "
    "LEFT JOIN live_sessions s ON s.room_id = c.room_id AND s.number = c.session "
    "WHERE c.room_id = %s AND c.session = %s ORDER BY c.started_at, c.provider_call_id"
)


def _at(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def record(row: dict[str, Any]) -> dict[str, Any]:
    """One call detail record: duration and cost once the call (or its session) is over."""
    started, ended, session_ended = (
        _at(row["started_at"]),
        _at(row["ended_at"]),
        _at(row["session_ended_at"]),
    )
    until = min((t for t in (ended, session_ended) if t is not None), default=None)
    seconds = max(int((until - started).total_seconds()), 0) if until and started else None
    toll_free = bool(row["toll_free"])
    return {
        "call_id": row["provider_call_id"],
        "caller": row["caller"],
        "gateway": row["gateway"],
        "toll_free": toll_free,
        "role": row["role"],
        "started_at": row["started_at"],
        "ended_at": until.isoformat() if until else None,
        "duration_seconds": seconds,
        "billed_minutes": billable_minutes(seconds) if seconds is not None else None,
        "cost": call_cost(toll_free, seconds).amount if seconds is not None else None,
    }


class DialInCallsView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def calls(self, room_id: str, session: int) -> list[dict[str, Any]]:
        """Every call into session ``session`` of the room, in the order they came."""
        return [record(row) for row in self.store.query(QUERY, (room_id, session))]

    def toll_free_cost(self, room_id: str, session: int) -> tuple[int, int]:
        """The session's toll-free minutes and what they cost, in cents (calls over only)."""
        over = [c for c in self.calls(room_id, session) if c["toll_free"] and c["cost"] is not None]
        return sum(c["billed_minutes"] for c in over), sum(c["cost"] for c in over)
