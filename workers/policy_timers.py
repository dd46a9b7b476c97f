"""Reactions time makes due: an event a policy reacts to later, kept until the clock says so.

A policy with a ``due(event)`` method returns the instant its reaction is due (a call to
action's display time over, an empty session's grace period). When that is later than the
clock's now, the runner records a timer instead of reacting and moves on; each round it fires
the timers that have come due, oldest first, by reading the event back from the log. The timer
is written before the position passes the event and deleted only after the reaction ran, so a
crash fires it again at worst, and the reaction's ``caused_by`` key makes that a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from projections.store import Cursor, ReadStore

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(instant: datetime) -> int:
    """An aware instant as whole microseconds since the epoch (sortable in both stores)."""
    delta = instant - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class TimerTable:
    """``policy_timers`` of the read store: (policy, notification id, due instant)."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def hold(self, policy: str, notification_id: int, due: datetime) -> None:
        with self.store.transaction() as cursor:
            self.hold_in(cursor, policy, notification_id, due)

    @staticmethod
    def hold_in(cursor: Cursor, policy: str, notification_id: int, due: datetime) -> None:
        cursor.execute(
            "INSERT INTO policy_timers (policy, notification_id, due_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (policy, notification_id) DO NOTHING",
            (policy, notification_id, micros(due)),
        )

    def due(self, policy: str, now: datetime, limit: int = 200) -> list[int]:
        """The notification ids of ``policy``'s timers due at ``now``, the earliest first."""
        rows = self.store.query(
            "SELECT notification_id FROM policy_timers WHERE policy = %s AND due_at <= %s "
            "ORDER BY due_at, notification_id LIMIT %s",
            (policy, micros(now), limit),
        )
        return [int(row["notification_id"]) for row in rows]

    def fired(self, policy: str, notification_id: int) -> None:
        with self.store.transaction() as cursor:
            cursor.execute(
                "DELETE FROM policy_timers WHERE policy = %s AND notification_id = %s",
                (policy, notification_id),
            )

    def pending(self, policies: Iterable[str]) -> dict[str, int]:
        """How many timers each policy holds (for /health and the CLI)."""
        names = list(policies)
        counts = dict.fromkeys(names, 0)
        for row in self.store.query(
            "SELECT policy, COUNT(*) AS n FROM policy_timers GROUP BY policy", ()
        ):
            if row["policy"] in counts:
                counts[str(row["policy"])] = int(row["n"])
        return counts
