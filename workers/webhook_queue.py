"""The webhook worker's own tables: a cursor and a queue per endpoint, attempts (0034).

Not read models (a rebuild leaves them alone, like ``policy_positions``): what was delivered
is a fact of the outside world, not of the log. Times are microseconds since the epoch, UTC.

- ``webhook_cursors``: per endpoint, the last position of the account's events queued for it,
  and the replay that position belongs to (``run``).
- ``webhook_deliveries``: one row per (endpoint, run, position): pending, then delivered, or
  failed once retries are over, or superseded by a replay from an earlier point. A claim
  (``claimed_until_us``) keeps two workers from sending one row at once; one that crashed
  lets its claim lapse and the row goes out again, with the same id.
- ``webhook_attempts``: every attempt, with its answer's code or its error and its duration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from projections.store import Cursor, ReadStore, Row


class QueueRaceError(RuntimeError):
    """Another worker moved this endpoint's cursor meanwhile: this batch is dropped."""


@dataclass(frozen=True)
class Queued:
    """A delivery to put in an endpoint's queue."""

    position: int
    event_id: str
    kind: str
    body: str


@dataclass(frozen=True)
class Claimed:
    endpoint_id: str
    run: int
    position: int
    event_id: str
    body: str
    attempts: int
    queued_at_us: int


class WebhookQueue:
    def __init__(self, store: ReadStore) -> None:
        self.store = store
        self._lock = " FOR UPDATE" if store.dialect == "postgres" else ""

    # -- cursors ---------------------------------------------------------------------------

    def cursors(self) -> dict[str, tuple[int, int]]:
        """Every endpoint's (position, run), in one query."""
        rows = self.store.query("SELECT endpoint_id, position, run FROM webhook_cursors")
        return {str(r["endpoint_id"]): (int(r["position"]), int(r["run"])) for r in rows}

    def cursor(self, endpoint_id: str, start: int) -> tuple[int, int]:
        """(position, run) of an endpoint, created at ``start`` the first time."""
        with self.store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO webhook_cursors (endpoint_id, position, run) VALUES (%s, %s, 0) "
                "ON CONFLICT (endpoint_id) DO NOTHING",
                (endpoint_id, start),
            )
            cursor.execute(
                "SELECT position, run FROM webhook_cursors WHERE endpoint_id = %s", (endpoint_id,)
            )
            row = cursor.fetchone()
        assert row is not None
        return int(row["position"]), int(row["run"])

    def restart(self, endpoint_id: str, seen: tuple[int, int], start: int, run: int) -> None:
        """A replay: the cursor goes back to ``start`` as run ``run``; what was still pending
        after ``start`` is superseded (the replay sends it again, in order)."""
        with self.store.transaction() as cursor:
            self._move(cursor, endpoint_id, seen, (start, run))
            cursor.execute(
                "UPDATE webhook_deliveries SET status = 'superseded', claimed_until_us = NULL "
                "WHERE endpoint_id = %s AND status = 'pending' AND position > %s",
                (endpoint_id, start),
            )

    def put(
        self,
        endpoint_id: str,
        seen: tuple[int, int],
        upto: int,
        items: Sequence[Queued],
        now_us: int,
    ) -> None:
        """Queue ``items`` and move the cursor to ``upto``, in one transaction."""
        run = seen[1]
        with self.store.transaction() as cursor:
            self._move(cursor, endpoint_id, seen, (upto, run))
            for item in items:
                row = (endpoint_id, run, item.position, item.event_id, item.kind, item.body)
                cursor.execute(
                    "INSERT INTO webhook_deliveries (endpoint_id, run, position, event_id, kind, "
                    "body, status, attempts, queued_at_us, next_attempt_us) "
                    "VALUES (%s, %s, %s, %s, %s, %s, 'pending', 0, %s, %s) "
                    "ON CONFLICT (endpoint_id, run, position) DO NOTHING",
                    (*row, now_us, now_us),
                )

    def _move(
        self, cursor: Cursor, endpoint_id: str, seen: tuple[int, int], to: tuple[int, int]
    ) -> None:
        cursor.execute(
            "UPDATE webhook_cursors SET position = %s, run = %s "
            "WHERE endpoint_id = %s AND position = %s AND run = %s",
            (to[0], to[1], endpoint_id, seen[0], seen[1]),
        )
        if cursor.rowcount != 1:
            raise QueueRaceError(f"webhook cursor {endpoint_id} moved meanwhile")

    # -- claiming and recording ------------------------------------------------------------

    def claim(
        self, endpoint_id: str, limit: int, now_us: int, until_us: int, by: str
    ) -> list[Claimed]:
        """Up to ``limit`` due deliveries of an endpoint, oldest first, claimed until
        ``until_us``; never more in flight across all workers than ``limit``."""
        with self.store.transaction() as cursor:
            # The cursor row serialises claims of one endpoint across processes (SQLite: the
            # transaction already holds the one write lock).
            cursor.execute(
                f"SELECT run FROM webhook_cursors WHERE endpoint_id = %s{self._lock}",  # noqa: S608
                (endpoint_id,),
            )
            cursor.execute(
                "SELECT COUNT(*) AS held FROM webhook_deliveries WHERE endpoint_id = %s "
                "AND status = 'pending' AND claimed_until_us > %s",
                (endpoint_id, now_us),
            )
            row = cursor.fetchone()
            free = limit - int(row["held"] if row else 0)
            if free <= 0:
                return []
            cursor.execute(
                "SELECT run, position, event_id, body, attempts, queued_at_us "
                "FROM webhook_deliveries WHERE endpoint_id = %s AND status = 'pending' "
                "AND next_attempt_us <= %s "
                "AND (claimed_until_us IS NULL OR claimed_until_us <= %s) "
                "ORDER BY run, position LIMIT %s",
                (endpoint_id, now_us, now_us, free),
            )
            rows = cursor.fetchall()
            for r in rows:
                cursor.execute(
                    "UPDATE webhook_deliveries SET claimed_until_us = %s, claimed_by = %s "
                    "WHERE endpoint_id = %s AND run = %s AND position = %s",
                    (until_us, by, endpoint_id, r["run"], r["position"]),
                )
        return [_claimed(endpoint_id, r) for r in rows]

    def record(
        self,
        claimed: Claimed,
        at_us: int,
        outcome: str,
        code: int | None,
        error: str | None,
        duration_ms: int,
        next_attempt_us: int | None,
    ) -> None:
        """One attempt: its row, and the delivery delivered, failed for good, or due again."""
        attempt = claimed.attempts + 1
        status = "delivered" if outcome == "delivered" else "pending"
        if outcome != "delivered" and next_attempt_us is None:
            status = "failed"
        key = (claimed.endpoint_id, claimed.run, claimed.position)
        with self.store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO webhook_attempts (endpoint_id, run, position, attempt, event_id, "
                "at_us, outcome, response_code, error, duration_ms) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (endpoint_id, run, position, attempt) DO NOTHING",
                (*key, attempt, claimed.event_id, at_us, outcome, code, error, duration_ms),
            )
            cursor.execute(
                "UPDATE webhook_deliveries SET status = %s, attempts = %s, last_code = %s, "
                "last_error = %s, claimed_until_us = NULL, claimed_by = NULL, "
                "next_attempt_us = %s, delivered_at_us = %s "
                "WHERE endpoint_id = %s AND run = %s AND position = %s AND status = 'pending'",
                (
                    status,
                    attempt,
                    code,
                    error,
                    next_attempt_us if next_attempt_us is not None else at_us,
                    at_us if status == "delivered" else None,
                    *key,
                ),
            )

    def due_endpoints(self, now_us: int) -> set[str]:
        """Endpoints with a delivery that could be sent now."""
        rows = self.store.query(
            "SELECT DISTINCT endpoint_id FROM webhook_deliveries WHERE status = 'pending' "
            "AND next_attempt_us <= %s AND (claimed_until_us IS NULL OR claimed_until_us <= %s)",
            (now_us, now_us),
        )
        return {str(r["endpoint_id"]) for r in rows}


def _claimed(endpoint_id: str, row: Row) -> Claimed:
    values: dict[str, Any] = row
    return Claimed(
        endpoint_id,
        int(values["run"]),
        int(values["position"]),
        str(values["event_id"]),
        str(values["body"]),
        int(values["attempts"]),
        int(values["queued_at_us"]),
    )
