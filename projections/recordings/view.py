"""Queries of recordings: a session's recordings with their not-recorded periods, and usage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.live.recording import used_minutes
from domain.live.settings import DEFAULT_LANGUAGE
from projections.store import ReadStore

COLUMNS = (
    "session, number, language, started_by, autostart, started_at, stopped_at, stopped_by, "
    "stop_reason, seconds"
)


def not_recorded(
    started_at: str, stopped_at: str | None, periods: list[dict[str, Any]], now: datetime
) -> list[dict[str, Any]]:
    """Where presenters-only ``periods`` cut into a recording from ``started_at`` to
    ``stopped_at`` (still running: to ``now``), as {from, until} (until None: still going)."""
    start = datetime.fromisoformat(started_at)
    stop = datetime.fromisoformat(stopped_at) if stopped_at else None
    cuts = []
    for period in periods:
        began = datetime.fromisoformat(period["started_at"])
        ended = datetime.fromisoformat(period["ended_at"]) if period["ended_at"] else None
        frm = max(start, began)
        ends = [moment for moment in (stop, ended) if moment is not None]
        until = min(ends) if ends else None
        if until is not None and frm >= until:
            continue  # the period and the recording do not overlap
        cuts.append(
            {
                "from": frm.isoformat(),
                "until": until.isoformat() if until else None,
                "seconds": int(((until or now) - frm).total_seconds()),
                "why": "presenters_only",
            }
        )
    return cuts


class RecordingsView:
    """Recordings as the panel and the room read them."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def recordings(
        self, room_id: str, now: datetime, session: int | None = None
    ) -> list[dict[str, Any]]:
        """The room's recordings (of one session, if given), oldest first, each with its
        duration and the periods nothing was recorded in."""
        sql = f"SELECT {COLUMNS} FROM recordings WHERE room_id = %s"  # noqa: S608 - ours
        params: list[Any] = [room_id]
        if session is not None:
            sql += " AND session = %s"
            params.append(session)
        rows = self.store.query(f"{sql} ORDER BY session, number", params)
        periods: dict[int, list[dict[str, Any]]] = {}
        for row in self.store.query(
            "SELECT session, started_at, ended_at FROM presenters_only_periods "
            "WHERE room_id = %s ORDER BY started_at",
            (room_id,),
        ):
            periods.setdefault(int(row["session"]), []).append(row)
        listed = []
        for row in rows:
            cuts = not_recorded(
                row["started_at"], row["stopped_at"], periods.get(int(row["session"]), []), now
            )
            running = row["stopped_at"] is None
            seconds = row["seconds"] if not running else _seconds(row["started_at"], now)
            listed.append(
                {
                    **row,
                    "autostart": bool(row["autostart"]),
                    "running": running,
                    "seconds": seconds,
                    "not_recorded": cuts,
                }
            )
        return listed

    def language(self, room_id: str, session: int) -> str:
        """Session ``session``'s interface language: its own, else the last one chosen before."""
        rows = self.store.query(
            "SELECT language FROM live_languages WHERE room_id = %s AND session <= %s "
            "ORDER BY session DESC LIMIT 1",
            (room_id, session),
        )
        return str(rows[0]["language"]) if rows else DEFAULT_LANGUAGE

    def usage(self, account_id: str, allowance_minutes: int) -> dict[str, Any]:
        """What the account's stopped recordings used of its allowance, and its default."""
        rows = self.store.query(
            "SELECT autostart, used_seconds FROM recording_usage WHERE account_id = %s",
            (account_id,),
        )
        used = int(rows[0]["used_seconds"]) if rows else 0
        return {
            "autostart": bool(rows[0]["autostart"]) if rows else False,
            "allowance_minutes": allowance_minutes,
            "used_seconds": used,
            "used_minutes": used_minutes(used),
            "left_minutes": max(0, allowance_minutes - used_minutes(used)),
            "used_up": used >= allowance_minutes * 60,
        }


STORED_COLUMNS = (
    "recording_id, room_id, session, number, content_type, size_bytes, seconds, created_at"
)


class StoredRecordingsView:
    """The account's recordings in storage, as the panel lists and downloads them (0025)."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def listed(self, account_id: str) -> list[dict[str, Any]]:
        """The account's stored recordings, newest first, with duration and size."""
        rows = self.store.query(
            f"SELECT {STORED_COLUMNS} FROM stored_recordings "  # noqa: S608 - ours
            "WHERE account_id = %s ORDER BY created_at DESC, room_id, session, number",
            (account_id,),
        )
        return [
            {**r, "size_bytes": int(r["size_bytes"]), "seconds": float(r["seconds"])} for r in rows
        ]

    def one(self, account_id: str, recording_id: str) -> dict[str, Any] | None:
        """One of the account's stored recordings with its storage key; None if not theirs."""
        rows = self.store.query(
            f"SELECT {STORED_COLUMNS}, storage_key FROM stored_recordings "  # noqa: S608 - ours
            "WHERE account_id = %s AND recording_id = %s",
            (account_id, recording_id),
        )
        return rows[0] if rows else None

    def storage_used(self, account_id: str) -> int:
        """Bytes the account's stored recordings take."""
        rows = self.store.query(
            "SELECT stored_bytes FROM recording_usage WHERE account_id = %s", (account_id,)
        )
        return int(rows[0]["stored_bytes"]) if rows else 0


def _seconds(started_at: str, now: datetime) -> int:
    return max(0, int((now - datetime.fromisoformat(started_at)).total_seconds()))
