"""The rate limiter port over the `limits` package, and the settings that configure it."""

from __future__ import annotations

import pydantic
import pytest

from podium.settings import Settings
from podium.throttle import LimitsRateLimiter, limits_from

SECRET = "a test secret of some length"


def test_hit_counts_until_the_limit_then_says_how_long_to_wait() -> None:
    """Two hits pass, the third is refused with a wait within the window (in seconds)."""
    limiter = LimitsRateLimiter({"log-in per email": "2/minute"}, "memory://", SECRET)
    assert limiter.hit("log-in per email", "ann") is None
    assert limiter.hit("log-in per email", "ann") is None
    wait = limiter.hit("log-in per email", "ann")
    assert wait is not None
    assert 1 <= wait <= 60
    assert limiter.hit("log-in per email", "bob") is None


def test_chat_allows_five_messages_a_second_per_participant_by_default() -> None:
    """The default chat limit: a participant's sixth message in a second is refused, another
    participant's first is not."""
    assert Settings().limit_chat_per_participant == "5/second"
    limiter = LimitsRateLimiter(limits_from(Settings()), "memory://", SECRET)
    for _ in range(5):
        assert limiter.hit("chat per participant", "room:ann") is None
    wait = limiter.hit("chat per participant", "room:ann")
    assert wait == 1
    assert limiter.hit("chat per participant", "room:bob") is None


def test_check_counts_nothing() -> None:
    """Checking any number of times leaves the whole limit to use."""
    limiter = LimitsRateLimiter({"join refusals per room": "1/minute"}, "memory://", SECRET)
    for _ in range(5):
        assert limiter.check("join refusals per room", "room-1") is None
    assert limiter.hit("join refusals per room", "room-1") is None
    assert limiter.check("join refusals per room", "room-1") is not None


def test_every_window_of_a_limit_applies() -> None:
    """ "3/minute;4/hour": the hour's window refuses the 5th even when a minute has room."""
    limiter = LimitsRateLimiter({"sign-up per address": "30/minute;4/hour"}, "memory://", SECRET)
    for _ in range(4):
        assert limiter.hit("sign-up per address", "192.0.2.1") is None
    wait = limiter.hit("sign-up per address", "192.0.2.1")
    assert wait is not None
    assert wait > 60


def test_an_empty_limit_never_refuses() -> None:
    """A limit set to "" is off."""
    limiter = LimitsRateLimiter({"log-in per address": ""}, "memory://", SECRET)
    assert all(limiter.hit("log-in per address", "x") is None for _ in range(100))


def test_a_malformed_rate_is_refused_at_start_up() -> None:
    """Settings refuse a limit the `limits` notation cannot read, naming the setting."""
    with pytest.raises(pydantic.ValidationError, match="limit_log_in_per_email"):
        Settings(limit_log_in_per_email="ten a minute")
