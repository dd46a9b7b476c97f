"""Hand events to hands rows: a hand's position is that of its latest raise."""

from __future__ import annotations

from typing import Any

from domain.live.hands import Hand
from projections.store import Cursor


def _topic(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


class LiveHandsProjection:
    """One row per person's hand in a session; raised ones ordered by when they went up."""

    name: str = "live_hands"
    topics: tuple[str, ...] = tuple(
        _topic(cls) for cls in (Hand.Raised, Hand.RaisedAgain, Hand.Lowered)
    )
    tables: tuple[str, ...] = ("hands",)

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if isinstance(event, Hand.Raised):
            cursor.execute(
                "INSERT INTO hands (hand_id, room_id, session, email, nickname, raised, "
                "raised_at, position) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    str(event.originator_id),
                    str(event.room_id),
                    event.session,
                    event.email,
                    event.nickname,
                    True,
                    event.at.isoformat(),
                    position,
                ),
            )
        elif isinstance(event, Hand.RaisedAgain):
            cursor.execute(
                "UPDATE hands SET raised = %s, raised_at = %s, position = %s, lowered_by = NULL, "
                "lowered_at = NULL WHERE hand_id = %s",
                (True, event.at.isoformat(), position, str(event.originator_id)),
            )
        elif isinstance(event, Hand.Lowered):
            cursor.execute(
                "UPDATE hands SET raised = %s, lowered_by = %s, lowered_at = %s WHERE hand_id = %s",
                (False, event.by, event.at.isoformat(), str(event.originator_id)),
            )
