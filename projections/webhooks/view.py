"""Queries of webhook endpoints, their replays, and what the worker delivered (0034)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from projections.store import ReadStore, Row

ENDPOINT_COLUMNS = (
    "endpoint_id, account_id, url, kinds, description, status, generation, "
    "previous_generation, rotated_at, registered_position, created_at, updated_at"
)


def _endpoint(row: Row) -> dict[str, Any]:
    return {**row, "kinds": json.loads(row["kinds"])}


def _instant(us: int | None) -> str | None:
    if us is None:
        return None
    return datetime.fromtimestamp(us / 1_000_000, UTC).isoformat()


class WebhooksView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def endpoints(self, account_id: str) -> list[dict[str, Any]]:
        """The account's endpoints, deleted ones left out, oldest first."""
        rows = self.store.query(
            f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints "  # noqa: S608 - fixed columns
            "WHERE account_id = %s AND status <> 'deleted' ORDER BY registered_position",
            (account_id,),
        )
        return [_endpoint(row) for row in rows]

    def endpoint(self, account_id: str, endpoint_id: str) -> dict[str, Any] | None:
        rows = self.store.query(
            f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints "  # noqa: S608 - fixed columns
            "WHERE endpoint_id = %s AND account_id = %s AND status <> 'deleted'",
            (endpoint_id, account_id),
        )
        return _endpoint(rows[0]) if rows else None

    def active(self) -> list[dict[str, Any]]:
        """Every enabled endpoint, for the worker."""
        rows = self.store.query(
            f"SELECT {ENDPOINT_COLUMNS} FROM webhook_endpoints "  # noqa: S608 - fixed columns
            "WHERE status = 'enabled' ORDER BY registered_position"
        )
        return [_endpoint(row) for row in rows]

    def replays_after(self, endpoint_id: str, replay: int) -> list[Row]:
        return self.store.query(
            "SELECT replay, position, since FROM webhook_replays "
            "WHERE endpoint_id = %s AND replay > %s ORDER BY replay",
            (endpoint_id, replay),
        )

    def last_replays(self) -> dict[str, int]:
        """Each endpoint's latest replay number (endpoints never replayed are left out)."""
        rows = self.store.query(
            "SELECT endpoint_id, MAX(replay) AS replay FROM webhook_replays GROUP BY endpoint_id"
        )
        return {str(r["endpoint_id"]): int(r["replay"]) for r in rows}

    def deliveries(self, endpoint_id: str, limit: int = 100) -> list[dict[str, Any]]:
        """The latest deliveries to an endpoint, newest first, each with its attempts."""
        rows = self.store.query(
            "SELECT run, position, event_id, kind, status, attempts, queued_at_us, "
            "next_attempt_us, delivered_at_us, last_code, last_error FROM webhook_deliveries "
            "WHERE endpoint_id = %s ORDER BY run DESC, position DESC LIMIT %s",
            (endpoint_id, limit),
        )
        attempts: dict[tuple[int, int], list[dict[str, Any]]] = {}
        if rows:
            oldest = min((int(r["run"]), int(r["position"])) for r in rows)
            for a in self.store.query(
                "SELECT run, position, attempt, at_us, outcome, response_code, error, "
                "duration_ms FROM webhook_attempts WHERE endpoint_id = %s AND run >= %s "
                "ORDER BY attempt",
                (endpoint_id, oldest[0]),
            ):
                attempts.setdefault((int(a["run"]), int(a["position"])), []).append(
                    {
                        "attempt": a["attempt"],
                        "at": _instant(a["at_us"]),
                        "outcome": a["outcome"],
                        "response_code": a["response_code"],
                        "error": a["error"],
                        "duration_ms": a["duration_ms"],
                    }
                )
        return [
            {
                "event_id": r["event_id"],
                "type": r["kind"],
                "position": r["position"],
                "run": r["run"],
                "status": r["status"],
                "attempts": r["attempts"],
                "queued_at": _instant(r["queued_at_us"]),
                "next_attempt_at": _instant(r["next_attempt_us"])
                if r["status"] == "pending"
                else None,
                "delivered_at": _instant(r["delivered_at_us"]),
                "response_code": r["last_code"],
                "error": r["last_error"],
                "tries": attempts.get((int(r["run"]), int(r["position"])), []),
            }
            for r in rows
        ]
