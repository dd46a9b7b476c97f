"""Queries of the attendance read model: a room's sessions with their counts, a session's
attendees with their time present, joins, devices, countries and calls."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from projections.store import ReadStore

SESSION_COLUMNS = "session_id, room_id, session, session_ref, started_at, ended_at"
# A phone participant's call beside their attendance (at most one call joins an attendance:
# the phone identity is the call's own).
ATTENDEES = (
    "SELECT a.*, c.caller, c.toll_free, c.joined_at AS call_joined_at, "
    "c.ended_at AS call_ended_at, (SELECT COALESCE(SUM(p.points), 0) "
    "FROM attendance_poll_answers p WHERE p.attendance_id = a.attendance_id) AS poll_points "
    "FROM attendances a "
    "LEFT JOIN attendance_calls c ON c.attendance_id = a.attendance_id "
    "WHERE a.room_id = %s AND a.session = %s ORDER BY a.position"
)


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(int((end - start).total_seconds()), 0)


def peak(intervals: list[tuple[datetime, datetime | None]]) -> int:
    """The most intervals open at once (one ending as another starts: not both)."""
    edges = sorted(
        [(start, 1) for start, _ in intervals]
        + [(end, -1) for _, end in intervals if end is not None]
    )  # at equal times -1 sorts first: a leave before a join
    most = here = 0
    for _, step in edges:
        here += step
        most = max(most, here)
    return most


class AttendanceView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def session(self, room_id: str, session: int) -> dict[str, Any] | None:
        rows = self.store.query(
            f"SELECT {SESSION_COLUMNS} FROM attendance_sessions "  # noqa: S608 - ours
            "WHERE room_id = %s AND session = %s",
            (room_id, session),
        )
        return self._counted(rows[0]) if rows else None

    def session_by_ref(self, session_ref: int) -> dict[str, Any] | None:
        """The session whose start was notification ``session_ref`` (v1's session id)."""
        rows = self.store.query(
            f"SELECT {SESSION_COLUMNS} FROM attendance_sessions "  # noqa: S608 - ours
            "WHERE session_ref = %s",
            (session_ref,),
        )
        return self._counted(rows[0]) if rows else None

    def sessions_by_id(self, session_ids: Collection[str]) -> dict[str, dict[str, Any]]:
        """The sessions with these ``LiveSession`` ids, by id, with their visitor counts."""
        if not session_ids:
            return {}
        marks = ", ".join(["%s"] * len(session_ids))
        rows = self.store.query(
            f"SELECT {SESSION_COLUMNS} FROM attendance_sessions "  # noqa: S608 - placeholders
            f"WHERE session_id IN ({marks})",
            tuple(session_ids),
        )
        return {str(row["session_id"]): self._counted(row) for row in rows}

    def sessions(self, room_id: str) -> list[dict[str, Any]]:
        """Every started session of the room, oldest first, with its visitor counts."""
        rows = self.store.query(
            f"SELECT {SESSION_COLUMNS} FROM attendance_sessions "  # noqa: S608 - ours
            "WHERE room_id = %s ORDER BY session",
            (room_id,),
        )
        return [self._counted(row) for row in rows]

    def _counted(self, row: dict[str, Any]) -> dict[str, Any]:
        """``total_visitors``: people who came; ``max_visitors``: most present at once."""
        visits = self.store.query(
            "SELECT j.joined_at, j.left_at FROM attendance_joins j "
            "JOIN attendances a ON a.attendance_id = j.attendance_id "
            "WHERE a.room_id = %s AND a.session = %s AND j.kind <> 'returned'",
            (row["room_id"], row["session"]),
        )
        people = self.store.query(
            "SELECT COUNT(*) AS n FROM attendances WHERE room_id = %s AND session = %s",
            (row["room_id"], row["session"]),
        )
        intervals = [(_at(v["joined_at"]), _at(v["left_at"])) for v in visits]
        return {
            **row,
            "total_visitors": int(people[0]["n"]),
            "max_visitors": peak([(s, e) for s, e in intervals if s is not None]),
        }

    def attendees(self, room_id: str, session: int, now: datetime) -> list[dict[str, Any]]:
        """The session's attendances in the order they first came; ``seconds_present`` counts
        a visit still open up to ``now``; a phone participant has ``caller`` and
        ``call_seconds``."""
        found = []
        for row in self.store.query(ATTENDEES, (room_id, session)):
            since = _at(row["present_since"])
            open_part = _seconds(since, now) or 0
            call_end = _at(row["call_ended_at"]) or (now if row["caller"] else None)
            found.append(
                {
                    **row,
                    "toll_free": bool(row["toll_free"]) if row["caller"] else None,
                    "present": since is not None,
                    "poll_points": int(row["poll_points"]),
                    "seconds_present": int(row["seconds_present"]) + open_part,
                    "call_seconds": _seconds(_at(row["call_joined_at"]), call_end),
                }
            )
        return found

    def joins(self, attendance_id: str) -> list[dict[str, Any]]:
        """Every join of one attendance with the client it came from, in order."""
        return self.store.query(
            "SELECT * FROM attendance_joins WHERE attendance_id = %s ORDER BY position",
            (attendance_id,),
        )
