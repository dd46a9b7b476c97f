"""Who is in a session now, counted from the admissions read model brought up to the log's head.

The write side keeps no count of who is present (decision 0003: a join storm must not contend on
one stream), so a rule that depends on the number of people in a session (discussion mode is
for small events) asks this read model, after letting it catch up with everything appended so
far. It is exact up to joins that race the count.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from projections.projector import Projector
from projections.rooms.view import RoomsView

PROJECTION = "rooms"  # the projection that keeps the admissions rows
PRESENCE_TOPICS = tuple(
    f"domain.admission:Admission.{name}" for name in ("Admitted", "Left", "Reentered")
)


class Headcount:
    """Counts the present listeners (not hosts or presenters) of one session."""

    def __init__(self, projector: Projector, rooms: RoomsView, head: Callable[[], int]) -> None:
        self.projector, self.rooms, self.head = projector, rooms, head

    def listeners(self, room_id: UUID, session: int) -> int | None:
        """How many listeners are in; None when the read model cannot be brought up to date
        (stopped at a poison event, or still behind after the projector's wait)."""
        if PROJECTION in self.projector.wait_for(self.head(), PRESENCE_TOPICS):
            return None
        return sum(
            1
            for row in self.rooms.admissions(str(room_id))
            if row["session"] == session and row["left_at"] is None and row["role"] == "listener"
        )
