"""Room and access events to rooms, access_tokens, registrations, invitations, admissions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from domain.access import AccessToken, Invitation, Registration
from domain.admission import Admission
from domain.ids import LEGACY_HANDLE_DIGITS, account_handle
from domain.room import Room, RoomAddress, RoomSettings, room_number
from projections.store import Cursor

Handler = Callable[[Cursor, Any], None]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _insert(cursor: Cursor, table: str, **columns: Any) -> None:
    names, marks = ", ".join(columns), ", ".join(["%s"] * len(columns))
    cursor.execute(
        f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names are ours
        tuple(columns.values()),
    )


def _update(cursor: Cursor, table: str, key: str, e: Any, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = %s" for name in columns)
    cursor.execute(
        f"UPDATE {table} SET {assignments} WHERE {key} = %s",  # noqa: S608 - names are ours
        (*columns.values(), str(e.originator_id)),
    )


def _settings_columns(settings: RoomSettings) -> dict[str, Any]:
    return {
        "name": settings.name,
        "room_type": str(settings.room_type),
        "access_type": str(settings.access_type),
        "permanent": settings.permanent,
        "starts_at": _iso(settings.starts_at),
        "ends_at": _iso(settings.ends_at),
        "timezone": settings.timezone,
        "settings": json.dumps(settings.as_state(), default=_iso, sort_keys=True),
    }


def _scheduled(cursor: Cursor, e: Any) -> None:
    _insert(
        cursor,
        "rooms",
        room_id=str(e.originator_id),
        account_id=str(e.account_id),
        number=room_number(e.originator_id),
        name_url=e.name_url,
        handle=account_handle(e.account_id),
        status="active",
        locked=False,
        secrets=json.dumps(e.secrets, sort_keys=True),
        created_at=_iso(e.at),
        updated_at=_iso(e.at),
        **_settings_columns(RoomSettings.from_state(e.settings)),
    )


def _address_claimed(cursor: Cursor, e: Any) -> None:
    # A room whose address was claimed under the 8-digit handle was given that URL: it keeps
    # answering there. Rooms claimed under the full handle never had such a URL, so a legacy
    # handle shared by two accounts can name at most one room (claims are unique).
    if len(e.handle) == LEGACY_HANDLE_DIGITS:
        cursor.execute(
            "UPDATE rooms SET legacy_handle = %s WHERE room_id = %s", (e.handle, str(e.room_id))
        )


def _edited(cursor: Cursor, e: Any) -> None:
    cursor.execute("SELECT settings FROM rooms WHERE room_id = %s", (str(e.originator_id),))
    row = cursor.fetchone()
    if row is None:
        return
    state = json.loads(row["settings"])
    if state.get("starts_at"):
        state["starts_at"] = datetime.fromisoformat(state["starts_at"])
    settings = RoomSettings.from_state(state | e.changes)
    _update(cursor, "rooms", "room_id", e, updated_at=_iso(e.at), **_settings_columns(settings))


def _set(table: str, key: str, **read: Callable[[Any], Any]) -> Handler:
    def handler(cursor: Cursor, e: Any) -> None:
        _update(cursor, table, key, e, **{column: value(e) for column, value in read.items()})

    return handler


HANDLERS: dict[type, Handler] = {
    Room.Scheduled: _scheduled,
    Room.Edited: _edited,
    RoomAddress.Claimed: _address_claimed,
    Room.StatusChanged: _set(
        "rooms", "room_id", status=lambda e: e.status, updated_at=lambda e: _iso(e.at)
    ),
    Room.LockChanged: _set("rooms", "room_id", locked=lambda e: bool(e.locked)),
    AccessToken.Generated: lambda c, e: _insert(
        c,
        "access_tokens",
        token_id=str(e.originator_id),
        room_id=str(e.room_id),
        token=e.token,
        active=True,
        created_at=_iso(e.at),
    ),
    AccessToken.Used: _set(
        "access_tokens", "token_id", used_by=lambda e: e.email, first_use=lambda e: _iso(e.at)
    ),
    AccessToken.Sent: _set("access_tokens", "token_id", sent_to=lambda e: e.email),
    AccessToken.Deactivated: _set("access_tokens", "token_id", active=lambda e: False),
    Registration.Registered: lambda c, e: _insert(
        c,
        "registrations",
        registration_id=str(e.originator_id),
        number=room_number(e.originator_id),
        room_id=str(e.room_id),
        email=e.email,
        first_name=e.first_name,
        last_name=e.last_name,
        answers=json.dumps(e.answers, sort_keys=True),
        code=e.code,
        status="active",
        registered_at=_iso(e.at),
    ),
    Registration.Cancelled: _set("registrations", "registration_id", status=lambda e: "cancelled"),
    Invitation.Sent: lambda c, e: _insert(
        c,
        "invitations",
        invitation_id=str(e.originator_id),
        room_id=str(e.room_id),
        email=e.email,
        role=e.role,
        lang=e.lang,
        template=e.template,
        sends=1,
        last_sent_at=_iso(e.at),
    ),
    Invitation.TokenGiven: _set("invitations", "invitation_id", token=lambda e: e.token),
    Admission.Admitted: lambda c, e: _insert(
        c,
        "admissions",
        admission_id=str(e.originator_id),
        room_id=str(e.room_id),
        session=e.session,
        email=e.email,
        nickname=e.nickname,
        role=e.role,
        via=e.via,
        visits=1,
        admitted_at=_iso(e.at),
    ),
}


def _bump(table: str, key: str, column: str, at_column: str | None = None) -> Handler:
    def handler(cursor: Cursor, e: Any) -> None:
        extra = f", {at_column} = %s" if at_column else ""
        params: tuple[Any, ...] = ((_iso(e.at),) if at_column else ()) + (str(e.originator_id),)
        cursor.execute(
            f"UPDATE {table} SET {column} = {column} + 1{extra} WHERE {key} = %s",  # noqa: S608
            params,
        )

    return handler


HANDLERS[Invitation.Resent] = _bump("invitations", "invitation_id", "sends", "last_sent_at")
HANDLERS[Admission.Returned] = _bump("admissions", "admission_id", "visits")
HANDLERS[Admission.Left] = _set("admissions", "admission_id", left_at=lambda e: _iso(e.at))


def _reentered(cursor: Cursor, e: Any) -> None:
    cursor.execute(
        "UPDATE admissions SET visits = visits + 1, left_at = NULL WHERE admission_id = %s",
        (str(e.originator_id),),
    )


HANDLERS[Admission.Reentered] = _reentered


class RoomsProjection:
    """Rooms, and who may and did enter them."""

    name: str = "rooms"
    topics: tuple[str, ...] = tuple(f"{cls.__module__}:{cls.__qualname__}" for cls in HANDLERS)
    tables: tuple[str, ...] = (
        "rooms",
        "access_tokens",
        "registrations",
        "invitations",
        "admissions",
    )

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        handler = HANDLERS.get(type(event))
        if handler is not None:
            handler(cursor, event)
