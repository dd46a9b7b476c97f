"""Phone calls in the domain: gateway numbers, billed minutes, a call's life (decision 0019)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.dial_in import TOLL_FREE_RATE_PER_MINUTE, billable_minutes, call_cost, gateway_number
from domain.errors import RuleViolationError
from domain.live.calls import Call, CallOverError, Menu, PinFirstError

AT = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("seconds", "minutes"), [(0, 0), (1, 1), (59, 1), (60, 1), (61, 2), (630, 11), (3600, 60)]
)
def test_every_started_minute_is_billed(seconds: int, minutes: int) -> None:
    """Carriers bill every started minute; a call of no time costs nothing."""
    assert billable_minutes(seconds) == minutes


def test_only_toll_free_calls_cost_the_organizer() -> None:
    """A toll-free call costs its minutes at the rate; a local one nothing at any length."""
    assert call_cost(True, 630).amount == 11 * TOLL_FREE_RATE_PER_MINUTE.amount
    assert call_cost(False, 630).amount == 0


def test_a_gateway_number_is_known_however_it_is_written() -> None:
    """Spaces and the plus sign do not matter; toll-free numbers say so; others are not ours."""
    found = gateway_number("+485550148")
    assert found is not None
    assert (found[0].location, found[1]) == ("Warsaw", False)
    toll_free = gateway_number("48 800 555 0199")
    assert toll_free is not None
    assert toll_free[1] is True
    assert gateway_number("+1 999 999 9999") is None


def test_a_call_counts_wrong_pins_joins_once_and_ends_once() -> None:
    """Three wrong PINs leave no tries; a call joins one room once; keys need the room; an
    ended call refuses everything and ends only once."""
    call = Call("CA1", "+48 600 100 200", "+48 555 0148", False, AT)
    with pytest.raises(PinFirstError):
        call.in_room()
    assert [call.refuse_pin(AT) for _ in range(3)] == [2, 1, 0]
    room = uuid4()
    call.join(room, 1, "listener", AT)
    assert call.in_room().room_id == room
    assert "@" not in call.in_room().email
    with pytest.raises(RuleViolationError, match="already in its room"):
        call.join(uuid4(), 1, "listener", AT)
    assert call.end(AT + timedelta(minutes=3)) is True
    assert call.end(AT + timedelta(minutes=9)) is False
    assert call.ended_at == AT + timedelta(minutes=3)
    with pytest.raises(CallOverError):
        call.in_room()


def test_a_key_noted_on_a_call_leaves_its_state() -> None:
    """The menu, mute and music a key left are the call's state afterwards."""
    call = Call("CA2", "+48 600 100 201", "+48 555 0148", False, AT)
    call.join(uuid4(), 1, "presenter", AT)
    call.press("2", "audio_menu", Menu.AUDIO, True, False, AT)  # type: ignore[arg-type]
    assert (call.menu, call.muted, call.music) == (Menu.AUDIO, True, False)
