"""Recording control in the domain: one recording at a time, the allowance's arithmetic, the
toll-free rule, and where presenters-only periods cut into a recording (decision 0021)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.errors import InvalidRequestError
from domain.live.recording import (
    AllowanceUsedUpError,
    Recorder,
    RecordingAccount,
    check_allowance,
    used_minutes,
)
from domain.live.settings import PhoneGatewayNeededError, check_language, toll_free_change
from projections.recordings.view import not_recorded

T0 = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_recorder_runs_one_recording_at_a_time_and_numbers_them() -> None:
    """A second start while one runs changes nothing; after a stop the next is number 2."""
    recorder = Recorder(uuid4(), 1, uuid4(), T0)
    assert recorder.start("pl", "ann@example.com", False, T0)
    assert not recorder.start("de", "ben@example.com", False, at(1))
    stopped = recorder.stop("ann@example.com", "stopped", at(10))
    assert stopped is not None
    assert (stopped.number, stopped.language, stopped.seconds(at(99))) == (1, "pl", 600)
    assert recorder.stop("ann@example.com", "stopped", at(11)) is None
    assert recorder.start("de", "ben@example.com", False, at(12))
    assert recorder.running is not None
    assert recorder.running.number == 2


def test_a_stopped_recording_counts_once_against_the_allowance() -> None:
    """Counting the same recording again adds nothing."""
    account = RecordingAccount(uuid4(), T0)
    room = uuid4()
    assert account.use(room, 1, 1, 90, T0)
    assert not account.use(room, 1, 1, 90, T0)
    assert account.use(room, 1, 2, 30, T0)
    assert account.used_seconds == 120


def test_the_allowance_counts_every_minute_begun_and_refuses_at_the_limit() -> None:
    """61 seconds are 2 minutes; 29:59 of 30 still allows a start, 30:00 does not."""
    assert (used_minutes(0), used_minutes(61), used_minutes(120)) == (0, 2, 2)
    check_allowance(30 * 60 - 1, 30)
    with pytest.raises(AllowanceUsedUpError, match="30 of 30 minutes"):
        check_allowance(30 * 60, 30)


def test_toll_free_needs_the_gateway_or_the_request_to_turn_it_on() -> None:
    """Gateway off: refused unless asked; asked: both on; off with the gateway off: both off."""
    with pytest.raises(PhoneGatewayNeededError):
        toll_free_change(True, gateway_on=False, turn_gateway_on=None)
    assert toll_free_change(True, gateway_on=False, turn_gateway_on=True) == (True, True)
    assert toll_free_change(True, gateway_on=True, turn_gateway_on=None) == (True, True)
    assert toll_free_change(False, gateway_on=True, turn_gateway_on=None) == (False, True)
    assert toll_free_change(False, gateway_on=True, turn_gateway_on=False) == (False, False)
    with pytest.raises(InvalidRequestError):
        toll_free_change(True, gateway_on=True, turn_gateway_on=False)


def test_languages_are_codes_the_room_knows() -> None:
    """Case and spaces do not matter; an unknown code is refused naming it."""
    assert check_language(" PL ") == "pl"
    with pytest.raises(InvalidRequestError, match="'klingon'"):
        check_language("klingon")


def period(start: int, end: int | None) -> dict[str, str | None]:
    return {"started_at": at(start).isoformat(), "ended_at": at(end).isoformat() if end else None}


def test_presenters_only_periods_are_cut_to_the_recording_they_fall_in() -> None:
    """A recording 10-40 min: a period 0-15 is cut to 10-15, 20-25 stays, 45-50 is outside,
    and one still running from 35 runs to the recording's stop."""
    periods = [period(0, 15), period(20, 25), period(35, None), period(45, 50)]
    cuts = not_recorded(at(10).isoformat(), at(40).isoformat(), periods, at(60))
    assert [(c["from"], c["until"], c["seconds"]) for c in cuts] == [
        (at(10).isoformat(), at(15).isoformat(), 300),
        (at(20).isoformat(), at(25).isoformat(), 300),
        (at(35).isoformat(), at(40).isoformat(), 300),
    ]
    assert {c["why"] for c in cuts} == {"presenters_only"}


def test_a_running_recording_in_presenters_only_mode_is_not_recorded_until_now() -> None:
    """Both still going: the cut has no end yet, and its seconds run to now."""
    [cut] = not_recorded(at(0).isoformat(), None, [period(5, None)], at(12))
    assert (cut["until"], cut["seconds"]) == (None, 420)
