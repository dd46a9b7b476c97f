"""Rooms: schedule, edit (and re-send invitations), activate, deactivate, delete."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from commands.errors import ConflictError, PermissionDeniedError
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.account import Account
from domain.errors import InvalidRequestError, NotFoundError, RuleViolationError
from domain.ids import account_handle, legacy_account_handle
from domain.live.calls import PhonePin
from domain.plans import Limits
from domain.room import Room, RoomAddress, RoomSettings, RoomStatus, check, slugify
from domain.subaccount import Subaccount


def account_limits(unit: UnitOfWork, account_id: UUID) -> Limits:
    """What the owner of rooms may use: an account's plan, or a subaccount's package."""
    account = unit.find(Account, account_id)
    if account is not None:
        if not account.is_usable(unit.now):
            raise RuleViolationError(
                f"the account is {account.status}: subscribe to a plan to schedule events"
            )
        return account.limits()
    sub = unit.get(Subaccount, account_id, "account")
    if not sub.is_live:
        raise PermissionDeniedError("the subaccount has been deleted")
    return sub.limits()


def to_utc(starts_at: datetime | None, timezone: str) -> datetime | None:
    """A start time in the room's zone (naive: local wall time there) as UTC."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidRequestError(f"unknown time zone {timezone!r}") from None
    if starts_at is None:
        return None
    local = starts_at if starts_at.tzinfo else starts_at.replace(tzinfo=zone)
    try:
        return local.astimezone(ZoneInfo("UTC"))
    except (OverflowError, ValueError):
        # A wall time at the very edge of the calendar (0001-01-01 in UTC+9) has no UTC instant.
        raise InvalidRequestError("starts_at is not a representable date and time") from None


def owned_room(unit: UnitOfWork, account_id: UUID, room_id: UUID) -> Room:
    """The room, if it belongs to ``account_id``; another account's room is simply not found."""
    room = unit.find(Room, room_id)
    if room is None or room.account_id != account_id or room.status == RoomStatus.DELETED:
        raise NotFoundError("room not found")
    return room


PIN_ROLES = {"phone_presenter_pin": "presenter", "phone_listener_pin": "listener"}
PIN_DRAWS = 50  # each draw misses with odds (rooms / 900,000): far beyond any real count


def new_secrets() -> dict[str, Any]:
    return {
        "room_pin": secrets.randbelow(900_000_000) + 100_000_000,  # always 9 digits
        "phone_presenter_pin": secrets.randbelow(900_000) + 100_000,
        "phone_listener_pin": secrets.randbelow(900_000) + 100_000,
        "role_hashes": {role: secrets.token_hex(16) for role in ("listener", "presenter", "host")},
        "widgets_hash": secrets.token_hex(3),
    }


def phone_pins(unit: UnitOfWork, drawn: dict[str, Any]) -> dict[str, Any]:
    """``drawn`` with phone PINs no other room holds and unlike each other (decision 0019):
    a caller types only the PIN, so it must find one room and one role."""
    for _ in range(PIN_DRAWS):
        pins = [str(drawn[name]) for name in PIN_ROLES]
        if pins[0] != pins[1] and not any(unit.exists(PhonePin.id_for(p)) for p in pins):
            return drawn
        drawn = {**drawn, **{name: secrets.randbelow(900_000) + 100_000 for name in PIN_ROLES}}
    raise ConflictError("no free phone PIN was found; please try again")


def claim_phone_pins(unit: UnitOfWork, room: Room) -> None:
    """Claim the room's PINs: two rooms racing for one collide on its stream, and the loser's
    command runs again and draws others."""
    for name, role in PIN_ROLES.items():
        unit.add(PhonePin(str(room.secrets[name]), room.id, role))


class Rooms:
    """The organizer's rooms."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def schedule(
        self,
        account_id: UUID,
        settings: RoomSettings,
        idem: Idempotency | None = None,
        url_name: str | None = None,
    ) -> Result:
        """A new room; its URL name comes from ``url_name`` if given (refused if taken), else
        from the room's name, numbered if another room of the account has it."""
        settings = settings.changed(starts_at=to_utc(settings.starts_at, settings.timezone))
        wanted = slugify(url_name) if url_name else None

        def command(unit: UnitOfWork) -> Result:
            check(settings, account_limits(unit, account_id), unit.now, is_new=True)
            handle, slug = account_handle(account_id), wanted or slugify(settings.name)
            legacy = legacy_account_handle(account_id)
            for n in range(2, 1000):
                # A room of the account made before the full handle holds its name_url under
                # the legacy handle; it is taken for the account's new rooms too.
                taken = (RoomAddress.id_for(h, slug) for h in (handle, legacy))
                if not any(unit.exists(address) for address in taken):
                    break
                if wanted:
                    raise RuleViolationError(f"another room already has the URL name {wanted}")
                slug = f"{slugify(settings.name)[:55]}-{n}"
            drawn = phone_pins(unit, new_secrets())
            room = unit.add(Room(account_id, slug, settings.as_state(), drawn, unit.now))
            unit.add(RoomAddress(handle, slug, room.id))
            claim_phone_pins(unit, room)
            return Result(
                Outcome.CREATED, {"room_id": str(room.id), "number": room.number, "name_url": slug}
            )

        return self.runner.run(command, idem)

    def edit(
        self,
        account_id: UUID,
        room_id: UUID,
        changes: dict[str, Any],
        idem: Idempotency | None = None,
    ) -> Result:
        """Change settings; the answer lists what changed (the caller may re-send invitations)."""

        def command(unit: UnitOfWork) -> Result:
            room = owned_room(unit, account_id, room_id)
            current = room.settings
            timezone = changes.get("timezone", current.timezone)
            new = current.changed(**changes)
            if "starts_at" in changes or "timezone" in changes:
                start = changes.get("starts_at", current.starts_at)
                if "starts_at" not in changes and start is not None:
                    start = start.astimezone(ZoneInfo(current.timezone)).replace(tzinfo=None)
                new = new.changed(starts_at=to_utc(start, timezone))
            changed = room.edit(new, account_limits(unit, account_id), unit.now)
            return Result(Outcome.DONE, {"room_id": str(room.id), "changed": sorted(changed)})

        return self.runner.run(command, idem)

    def set_status(self, account_id: UUID, room_id: UUID, status: str) -> Result:
        try:
            wanted = RoomStatus(status)
        except ValueError:
            raise InvalidRequestError("status must be active or inactive") from None

        def command(unit: UnitOfWork) -> Result:
            room = owned_room(unit, account_id, room_id)
            room.set_status(wanted, unit.now)
            return Result(Outcome.DONE, {"room_id": str(room.id), "status": str(room.status)})

        return self.runner.run(command)

    def set_locked(self, account_id: UUID, room_id: UUID, locked: bool) -> Result:
        def command(unit: UnitOfWork) -> Result:
            room = owned_room(unit, account_id, room_id)
            room.set_locked(locked, unit.now)
            return Result(Outcome.DONE, {"room_id": str(room.id), "locked": room.locked})

        return self.runner.run(command)
