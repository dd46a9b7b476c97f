"""Queries of the timeline."""

from __future__ import annotations

from projections.store import ReadStore, Row


class TimelineView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def timeline(self, account_id: str, limit: int = 100, before: int | None = None) -> list[Row]:
        """Most recent first; ``before`` pages back from a position."""
        if before is None:
            return self.store.query(
                "SELECT position, at, kind, subject_id, summary FROM timeline "
                "WHERE account_id = %s ORDER BY position DESC LIMIT %s",
                (account_id, limit),
            )
        return self.store.query(
            "SELECT position, at, kind, subject_id, summary FROM timeline "
            "WHERE account_id = %s AND position < %s ORDER BY position DESC LIMIT %s",
            (account_id, before, limit),
        )
