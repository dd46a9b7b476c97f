"""Rate limits: how often one key (an email, a client address, a room) may try one thing.

``RateLimiter`` is the port the API depends on; ``LimitsRateLimiter`` fills it with the `limits`
package (moving windows) on the storage its URI names: ``memory://`` in the embedded default,
where one process holds every counter. Several API processes need a shared storage (a
``redis://`` URI, with the package's redis extra) or each counts on its own (decision 0008).

Keys are HMAC digests of the email or address under the server secret, so a shared storage
never holds the emails people typed.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Mapping
from typing import Protocol

from limits import RateLimitItem, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from podium.settings import Settings


class RateLimiter(Protocol):
    """Counts attempts per (limit, key); answers how long to wait once a limit is reached."""

    def hit(self, limit: str, key: str) -> int | None:
        """Count one attempt; the seconds to wait instead (nothing counted) if over a limit."""
        ...

    def check(self, limit: str, key: str) -> int | None:
        """The seconds to wait if ``key`` has used up ``limit``, without counting anything."""
        ...


def limits_from(settings: Settings) -> dict[str, str]:
    """Every named limit and its rates, as the settings give them."""
    return {
        "log-in per email": settings.limit_log_in_per_email,
        "log-in per address": settings.limit_log_in_per_address,
        "password reset per email": settings.limit_reset_per_email,
        "password reset per address": settings.limit_reset_per_address,
        "sign-up per email": settings.limit_sign_up_per_email,
        "sign-up per address": settings.limit_sign_up_per_address,
        "registration per email": settings.limit_registration_per_email,
        "registration per address": settings.limit_registration_per_address,
        "join refusals per address": settings.limit_join_refusals_per_address,
        "join refusals per room": settings.limit_join_refusals_per_room,
        "chat per participant": settings.limit_chat_per_participant,
    }


class LimitsRateLimiter:
    """``RateLimiter`` over the `limits` package."""

    def __init__(self, rates: Mapping[str, str], storage_uri: str, secret: str) -> None:
        self._rates: dict[str, list[RateLimitItem]] = {
            name: parse_many(text) if text.strip() else [] for name, text in rates.items()
        }
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._secret = secret.encode()

    def _key(self, limit: str, key: str) -> str:
        message = f"{limit}\x1f{key}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def _wait(self, limit: str, digest: str) -> int | None:
        waits = [
            self._limiter.get_window_stats(rate, limit, digest).reset_time - time.time()
            for rate in self._rates[limit]
            if not self._limiter.test(rate, limit, digest)
        ]
        return max(1, math.ceil(max(waits))) if waits else None

    def check(self, limit: str, key: str) -> int | None:
        return self._wait(limit, self._key(limit, key))

    def hit(self, limit: str, key: str) -> int | None:
        digest = self._key(limit, key)
        # Test every window first, so a refused attempt uses up none of them.
        if (wait := self._wait(limit, digest)) is not None:
            return wait
        for rate in self._rates[limit]:
            self._limiter.hit(rate, limit, digest)
        return None


def build_rate_limiter(settings: Settings) -> RateLimiter:
    return LimitsRateLimiter(limits_from(settings), settings.rate_limit_storage, settings.secret)
