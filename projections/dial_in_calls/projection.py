"""Call events to dial_in_calls rows: one call detail record per phone call."""

from __future__ import annotations

from typing import Any

from domain.live.calls import Call
from projections.store import Cursor


class DialInCallsProjection:
    """Who called which gateway number, into which session, from when to when."""

    name: str = "dial_in_calls"
    topics: tuple[str, ...] = tuple(
        f"{cls.__module__}:{cls.__qualname__}" for cls in (Call.Dialled, Call.Joined, Call.Ended)
    )
    tables: tuple[str, ...] = ("dial_in_calls",)

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        call_id = str(event.originator_id)
        if isinstance(event, Call.Dialled):
            cursor.execute(
                "INSERT INTO dial_in_calls (call_id, provider_call_id, caller, gateway, "
                "toll_free, started_at) VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    call_id,
                    event.provider_call_id,
                    event.caller,
                    event.gateway,
                    event.toll_free,
                    event.at.isoformat(),
                ),
            )
        elif isinstance(event, Call.Joined):
            cursor.execute(
                "UPDATE dial_in_calls SET room_id = %s, session = %s, role = %s, joined_at = %s "
                "WHERE call_id = %s",
                (str(event.room_id), event.session, event.role, event.at.isoformat(), call_id),
            )
        elif isinstance(event, Call.Ended):
            cursor.execute(
                "UPDATE dial_in_calls SET ended_at = %s WHERE call_id = %s",
                (event.at.isoformat(), call_id),
            )
