"""Queries of rooms and their access lists."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from domain.ids import LEGACY_HANDLE_DIGITS
from projections.store import ReadStore, Row

ACTIVE = "status = 'active' AND (permanent OR ends_at IS NULL OR ends_at > %s)"
INACTIVE = "status <> 'deleted' AND NOT (" + ACTIVE + ")"


def _room(row: Row) -> dict[str, Any]:
    return {
        **row,
        "permanent": bool(row["permanent"]),
        "locked": bool(row["locked"]),
        "settings": json.loads(row["settings"]),
        "secrets": json.loads(row["secrets"]),
    }


class RoomsView:
    """Rooms as the panel and the ClickMeeting API read them."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def room(self, room_id: str) -> dict[str, Any] | None:
        rows = self.store.query(
            "SELECT * FROM rooms WHERE room_id = %s AND status <> 'deleted'", (room_id,)
        )
        return _room(rows[0]) if rows else None

    def by_number(self, number: int) -> dict[str, Any] | None:
        rows = self.store.query(
            "SELECT * FROM rooms WHERE number = %s AND status <> 'deleted'", (number,)
        )
        return _room(rows[0]) if rows else None

    def by_address(self, handle: str, name_url: str) -> dict[str, Any] | None:
        """The room at ``<handle>/<name_url>``: the account's handle, or the legacy 8-digit one
        for a room whose URL was issued with it (both indexed with name_url)."""
        column = "legacy_handle" if len(handle) == LEGACY_HANDLE_DIGITS else "handle"
        rows = self.store.query(
            f"SELECT * FROM rooms WHERE {column} = %s AND name_url = %s "  # noqa: S608 - ours
            "AND status <> 'deleted'",
            (handle, name_url),
        )
        return _room(rows[0]) if rows else None

    def rooms(self, account_id: str, active: bool, now: datetime) -> list[dict[str, Any]]:
        """The active list (upcoming or running, and permanent rooms) or the inactive one."""
        where = ACTIVE if active else INACTIVE
        rows = self.store.query(
            f"SELECT * FROM rooms WHERE account_id = %s AND {where} "  # noqa: S608
            "ORDER BY starts_at, created_at",
            (account_id, now.isoformat()),
        )
        return [_room(row) for row in rows]

    def is_active(self, room: dict[str, Any], now: datetime) -> bool:
        return room["status"] == "active" and (
            room["permanent"] or not room["ends_at"] or room["ends_at"] > now.isoformat()
        )

    def tokens(self, room_id: str) -> list[Row]:
        rows = self.store.query(
            "SELECT token, sent_to, used_by, first_use, active, created_at FROM access_tokens "
            "WHERE room_id = %s ORDER BY created_at, token",
            (room_id,),
        )
        return [{**row, "active": bool(row["active"])} for row in rows]

    def registrations(self, room_id: str, status: str = "all") -> list[dict[str, Any]]:
        where = "" if status == "all" else " AND status = %s"
        params: tuple[Any, ...] = (room_id,) if status == "all" else (room_id, status)
        rows = self.store.query(
            f"SELECT * FROM registrations WHERE room_id = %s{where} "  # noqa: S608
            "ORDER BY registered_at, email",
            params,
        )
        return [{**row, "answers": json.loads(row["answers"])} for row in rows]

    def invitations(self, room_id: str) -> list[Row]:
        return self.store.query(
            "SELECT email, role, lang, template, token, sends, last_sent_at FROM invitations "
            "WHERE room_id = %s ORDER BY email, role",
            (room_id,),
        )

    def admissions(self, room_id: str) -> list[Row]:
        return self.store.query(
            "SELECT session, email, nickname, role, via, visits, admitted_at, left_at "
            "FROM admissions WHERE room_id = %s ORDER BY session, admitted_at",
            (room_id,),
        )

    def present(self, room_id: str, session: int) -> list[Row]:
        """Who is in a session now (admitted and not left), in the order they came."""
        return self.store.query(
            "SELECT admission_id, email, nickname, role, admitted_at FROM admissions "
            "WHERE room_id = %s AND session = %s AND left_at IS NULL "
            "ORDER BY admitted_at, admission_id",
            (room_id, session),
        )
