"""Queries of the timeline."""

from __future__ import annotations

from projections.store import ReadStore, Row

_COLUMNS = "SELECT position, at, kind, subject_id, summary FROM timeline WHERE account_id = %s"


class TimelineView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def timeline(
        self,
        account_id: str,
        limit: int = 100,
        before: int | None = None,
        *,
        owner: bool = True,
    ) -> list[Row]:
        """Most recent first; ``before`` pages back from a position. Without ``owner``, the
        rows only the account's owner may see (billing, subaccounts) are left out."""
        sql, params = _COLUMNS, list[object]([account_id])
        if not owner:
            sql += " AND NOT owner_only"
        if before is not None:
            sql += " AND position < %s"
            params.append(before)
        return self.store.query(sql + " ORDER BY position DESC LIMIT %s", (*params, limit))
