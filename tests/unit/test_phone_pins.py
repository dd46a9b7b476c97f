"""Phone PINs: each finds one room and one role (decision 0019)."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

import pytest

from commands import rooms
from commands.errors import ConflictError
from domain.live.calls import PhonePin


class Claims:
    """The part of a unit of work ``phone_pins`` asks: whether a PIN's claim exists."""

    def __init__(self, *taken: int) -> None:
        self.taken = {PhonePin.id_for(str(p)) for p in taken}

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self.taken


def secrets_with(presenter: int, listener: int) -> dict[str, Any]:
    return {"phone_presenter_pin": presenter, "phone_listener_pin": listener, "room_pin": 1}


def test_free_and_different_pins_are_kept() -> None:
    """PINs no room holds, and unlike each other, are the room's."""
    drawn = secrets_with(111_111, 222_222)
    assert rooms.phone_pins(Claims(333_333), drawn) == drawn  # type: ignore[arg-type]


def test_a_claimed_or_repeated_pin_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PIN another room claimed, or a presenter PIN equal to the listener PIN, is redrawn
    until both are free; the room's other secrets stay."""
    draws = iter([500_000, 500_000, 111_111, 600_000, 600_000, 700_000])
    monkeypatch.setattr(secrets, "randbelow", lambda n: next(draws) - 100_000)
    kept = rooms.phone_pins(Claims(111_111), secrets_with(111_111, 222_222))  # type: ignore[arg-type]
    assert (kept["phone_presenter_pin"], kept["phone_listener_pin"]) == (600_000, 700_000)
    assert kept["room_pin"] == 1


def test_no_free_pin_after_many_draws_is_a_conflict_to_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """If every draw hits a claim (a nearly full PIN space), the command says try again."""
    monkeypatch.setattr(secrets, "randbelow", lambda n: 11_111)
    with pytest.raises(ConflictError, match="phone PIN"):
        rooms.phone_pins(Claims(111_111), secrets_with(111_111, 111_111))  # type: ignore[arg-type]
