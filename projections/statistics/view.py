"""The Statistics tab's tables, read from the rooms and attendance read models (decision 0028).

No table of its own: every figure is a query over ``rooms``, ``attendance_sessions``,
``attendances``, ``attendance_calls`` and ``attendance_poll_answers``, whose browser, system,
device and country were decided when each join was written (decision 0027). The same code
answers for the live read store and for a scratch store projected up to a past position, so
"as of" and "now" cannot disagree in how they count. Grouping happens here, in Python, over the
account's rows: one portable query per table, the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from projections.store import ReadStore

# The tables, in the order the panel shows them (each also a CSV).
TABLES = (
    "attendees",
    "events_per_month",
    "room_types",
    "countries",
    "devices",
    "browsers",
    "systems",
    "phone",
)
# Each table's columns, so an empty table still downloads with its header.
COLUMNS: dict[str, tuple[str, ...]] = {
    "attendees": (
        "email", "room_id", "room_name", "session", "seconds_present", "browser", "os",
        "device", "country", "rating", "poll_answers", "poll_points",
    ),
    "events_per_month": ("month", "events", "sessions"),
    "room_types": ("room_type", "events"),
    "countries": ("country", "attendees"),
    "devices": ("device", "attendees"),
    "browsers": ("browser", "attendees"),
    "systems": ("os", "attendees"),
    "phone": (
        "room_id", "room_name", "session", "calls", "minutes", "toll_free_calls",
        "toll_free_minutes",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """Which part of an account's statistics: sessions started (events scheduled) in
    [``start``, ``end``), of one room or all."""

    start: datetime | None = None
    end: datetime | None = None
    room_id: str | None = None

    def holds(self, moment: datetime) -> bool:
        return (self.start is None or moment >= self.start) and (
            self.end is None or moment < self.end
        )


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _seconds(since: str | None, until: datetime) -> int:
    return max(int((until - _at(since)).total_seconds()), 0) if since else 0


def _counted(values: list[str], key: str, counted: str) -> list[dict[str, Any]]:
    """``[{key: value, counted: n}]``, most first, then by value (a stable order to compare)."""
    tally = Counter(values)
    return [
        {key: value, counted: n}
        for value, n in sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    ]


class StatisticsView:
    """An account's statistics at the read store's position; open visits and calls count up
    to ``now`` (the instant asked about)."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def statistics(self, account_id: str, now: datetime, filters: Filters) -> dict[str, Any]:
        rooms = self._rooms(account_id, filters.room_id)
        sessions = {
            (row["room_id"], int(row["session"])): row
            for row in self.store.query(
                "SELECT s.room_id, s.session, s.started_at FROM attendance_sessions s "
                "JOIN rooms r ON r.room_id = s.room_id WHERE r.account_id = %s",
                (account_id,),
            )
            if row["room_id"] in rooms and filters.holds(_at(row["started_at"]))
        }
        events = [room for room in rooms.values() if filters.holds(_at(room["held_at"]))]
        attendees = self._attendees(account_id, rooms, sessions, now)
        phone = self._phone(account_id, rooms, sessions, now)
        months: dict[str, dict[str, int]] = {}
        for room in events:
            months.setdefault(room["held_at"][:7], {"events": 0, "sessions": 0})["events"] += 1
        for row in sessions.values():
            months.setdefault(row["started_at"][:7], {"events": 0, "sessions": 0})["sessions"] += 1
        return {
            "totals": {
                "events": len(events),
                "sessions": len(sessions),
                "attendees": len(attendees),
                "phone_minutes": sum(row["minutes"] for row in phone),
            },
            "events_per_month": [{"month": m, **n} for m, n in sorted(months.items())],
            "room_types": _counted([r["room_type"] for r in events], "room_type", "events"),
            "countries": _counted([a["country"] for a in attendees], "country", "attendees"),
            "devices": _counted([a["device"] for a in attendees], "device", "attendees"),
            "browsers": _counted([a["browser"] for a in attendees], "browser", "attendees"),
            "systems": _counted([a["os"] for a in attendees], "os", "attendees"),
            "attendees": attendees,
            "phone": phone,
        }

    def _rooms(self, account_id: str, room_id: str | None) -> dict[str, dict[str, Any]]:
        """The account's rooms; an event is held at its scheduled start (a permanent room,
        which has none, when it was opened)."""
        rows = self.store.query(
            "SELECT room_id, name, room_type, COALESCE(starts_at, created_at) AS held_at "
            "FROM rooms WHERE account_id = %s ORDER BY number",
            (account_id,),
        )
        return {r["room_id"]: r for r in rows if room_id in (None, r["room_id"])}

    def _attendees(
        self,
        account_id: str,
        rooms: dict[str, dict[str, Any]],
        sessions: dict[tuple[str, int], dict[str, Any]],
        now: datetime,
    ) -> list[dict[str, Any]]:
        rows = self.store.query(
            "SELECT a.room_id, a.session, a.email, a.seconds_present, a.present_since, "
            "a.browser, a.os, a.device, a.country, a.rating, a.poll_answers, "
            "c.caller, (SELECT COALESCE(SUM(p.points), 0) FROM attendance_poll_answers p "
            "WHERE p.attendance_id = a.attendance_id) AS poll_points "
            "FROM attendances a JOIN rooms r ON r.room_id = a.room_id "
            "LEFT JOIN attendance_calls c ON c.attendance_id = a.attendance_id "
            "WHERE r.account_id = %s ORDER BY a.position",
            (account_id,),
        )
        return [
            {
                "email": row["email"],
                "room_id": row["room_id"],
                "room_name": rooms[row["room_id"]]["name"],
                "session": int(row["session"]),
                # A visit still open is counted up to the instant asked about.
                "seconds_present": int(row["seconds_present"])
                + _seconds(row["present_since"], now),
                "browser": row["browser"],
                "os": row["os"],
                "device": "phone" if row["caller"] else row["device"],
                "country": row["country"],
                "rating": row["rating"],
                "poll_answers": int(row["poll_answers"]),
                "poll_points": int(row["poll_points"]),
            }
            for row in rows
            if (row["room_id"], int(row["session"])) in sessions
        ]

    def _phone(
        self,
        account_id: str,
        rooms: dict[str, dict[str, Any]],
        sessions: dict[tuple[str, int], dict[str, Any]],
        now: datetime,
    ) -> list[dict[str, Any]]:
        """Dial-in use per session: calls that reached it, and minutes (each call rounded up
        to a whole minute, as telephony bills; a call still going counts up to ``now``), all
        and toll-free."""
        rows = self.store.query(
            "SELECT a.room_id, a.session, c.toll_free, c.joined_at, c.ended_at "
            "FROM attendance_calls c "
            "JOIN attendances a ON a.attendance_id = c.attendance_id "
            "JOIN rooms r ON r.room_id = a.room_id WHERE r.account_id = %s "
            "ORDER BY a.room_id, a.session, c.call_id",
            (account_id,),
        )
        found: dict[tuple[str, int], dict[str, Any]] = {}
        for row in rows:
            key = (row["room_id"], int(row["session"]))
            if key not in sessions or not row["joined_at"]:
                continue
            until = _at(row["ended_at"]) if row["ended_at"] else now
            entry = found.setdefault(
                key,
                {
                    "room_id": key[0],
                    "room_name": rooms[key[0]]["name"],
                    "session": key[1],
                    "calls": 0,
                    "minutes": 0,
                    "toll_free_calls": 0,
                    "toll_free_minutes": 0,
                },
            )
            minutes = math.ceil(_seconds(row["joined_at"], until) / 60)
            entry["calls"] += 1
            entry["minutes"] += minutes
            if row["toll_free"]:  # the toll-free usage the account pays for
                entry["toll_free_calls"] += 1
                entry["toll_free_minutes"] += minutes
        return [found[key] for key in sorted(found)]
