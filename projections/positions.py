"""Where each log follower is, and the event it stopped at: one table, one set of rules.

The projector (``projection_positions``) and the policy runner (``policy_positions``) both
follow the notification log per named follower, and both stop a follower alone at an event it
cannot handle (decisions 0011, 0013). Both tables have the same columns: ``name``, ``position``
(the last notification id handled) and the failure (``failed_notification_id``,
``failed_event``, ``failed_error``, ``failed_at``; NULL while healthy). This module reads and
writes them; the followers decide when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from eventsourcing.persistence import Notification

from projections.store import Cursor, ReadStore


@dataclass(frozen=True)
class ProjectionFailure:
    """The event a follower stopped at, and why."""

    notification_id: int
    event: str  # "<topic> <originator id> v<version>"
    error: str  # the exception's type and message (the traceback goes to the log)
    failed_at: str

    @classmethod
    def of(cls, notification: Notification, error: BaseException) -> ProjectionFailure:
        return cls(
            notification.id,
            f"{notification.topic} {notification.originator_id} v{notification.originator_version}",
            f"{type(error).__name__}: {error}"[:2000],
            datetime.now(UTC).isoformat(),
        )

    def describe(self) -> str:
        return f"notification {self.notification_id} ({self.event}): {self.error}"


@dataclass(frozen=True)
class ProjectionState:
    """Where one follower is: its position and, if it stopped at an event, the failure."""

    name: str
    position: int
    failure: ProjectionFailure | None = None


class PositionTable:
    """One followers' table of positions and failures in the read store."""

    def __init__(self, store: ReadStore, table: str) -> None:
        self.store = store
        self.table = table  # ours, never a caller's input

    def states(self, names: Iterable[str]) -> dict[str, ProjectionState]:
        """Each named follower's state, in one query (a follower never seen is at 0)."""
        columns = "name, position, failed_notification_id, failed_event, failed_error, failed_at"
        rows = self.store.query(f"SELECT {columns} FROM {self.table}")  # noqa: S608 - ours
        by_name = {str(row["name"]): row for row in rows}
        states = {}
        for name in names:
            row = by_name.get(name)
            failure = None
            if row is not None and row["failed_notification_id"] is not None:
                failure = ProjectionFailure(
                    int(row["failed_notification_id"]),
                    str(row["failed_event"]),
                    str(row["failed_error"]),
                    str(row["failed_at"]),
                )
            position = int(row["position"]) if row is not None else 0
            states[name] = ProjectionState(name, position, failure)
        return states

    def record_failure(self, cursor: Cursor, name: str, failure: ProjectionFailure) -> None:
        cursor.execute(
            f"UPDATE {self.table} SET failed_notification_id = %s, "  # noqa: S608 - ours
            "failed_event = %s, failed_error = %s, failed_at = %s WHERE name = %s",
            (failure.notification_id, failure.event, failure.error, failure.failed_at, name),
        )

    def resume(self, names: Iterable[str]) -> list[str]:
        """Clear the failure of each stopped follower named; return which were stopped."""
        resumed = []
        for name in names:
            with self.store.transaction() as cursor:
                cursor.execute(
                    f"UPDATE {self.table} SET failed_notification_id = NULL, "  # noqa: S608
                    "failed_event = NULL, failed_error = NULL, failed_at = NULL "
                    "WHERE name = %s AND failed_notification_id IS NOT NULL",
                    (name,),
                )
                if cursor.rowcount:
                    resumed.append(name)
        return resumed
