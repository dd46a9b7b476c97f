"""The OutgoingMail aggregate: one message in the outbox, until the mailer delivers it.

Queued in the same transaction as the command that causes it, so no accepted command loses its
mail; delivery attempts are events too, so the outbox's state survives restarts.

Every delivery attempt first claims the message (``claim``): the claim is an event on the
message's own stream, so of two deliverers that read the same pending message, the one whose
claim is appended second meets a version conflict, reloads, finds the claim and skips. A claim
lasts ``CLAIM_LEASE``; one that is never completed (the deliverer crashed) lapses and the
message is claimed again, so a crash loses no message.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy

MAX_BACKOFF = timedelta(hours=1)
# Far longer than one SMTP session (10 s timeouts), so a live deliverer never loses its claim.
CLAIM_LEASE = timedelta(minutes=5)


class OutgoingMail(CheapCopy, Aggregate):
    """A message to one recipient."""

    class Queued(Aggregate.Created):
        """Version 2 added ``account_id``, the account the message is sent for."""

        class_version = 2
        to: str
        subject: str
        body: str
        purpose: str
        at: datetime
        account_id: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["account_id"] = None

    class Claimed(Aggregate.Event):
        by: str
        until: datetime
        at: datetime

    class Delivered(Aggregate.Event):
        at: datetime

    class AttemptFailed(Aggregate.Event):
        error: str
        retry_at: datetime
        at: datetime

    @event(Queued)
    def __init__(
        self,
        to: str,
        subject: str,
        body: str,
        purpose: str,
        at: datetime,
        account_id: str | None = None,
    ) -> None:
        self.account_id = account_id
        self.to = to
        self.subject = subject
        self.body = body
        self.purpose = purpose
        self.attempts = 0
        self.delivered = False
        self.next_attempt_at = at
        self.claimed_by: str | None = None
        self.claimed_until: datetime | None = None

    def claim(self, by: str, now: datetime, lease: timedelta = CLAIM_LEASE) -> bool:
        """Take the message for one delivery attempt by ``by``; False (and no event) if it is
        delivered, not due yet, or held by another attempt's claim that has not lapsed."""
        if self.delivered or self.next_attempt_at > now:
            return False
        if self.claimed_until is not None and self.claimed_until > now:
            return False
        self._claimed(by, now + lease, now)
        return True

    @event(Claimed)
    def _claimed(self, by: str, until: datetime, at: datetime) -> None:
        self.claimed_by, self.claimed_until = by, until

    def delivered_at(self, at: datetime) -> None:
        if not self.delivered:
            self._delivered(at)

    @event(Delivered)
    def _delivered(self, at: datetime) -> None:
        self.delivered = True
        self.claimed_by, self.claimed_until = None, None

    def attempt_failed(self, error: str, at: datetime) -> None:
        """Back off exponentially: 30 s, 1 min, 2 min ... at most an hour between attempts."""
        delay = min(timedelta(seconds=30 * 2 ** min(self.attempts, 12)), MAX_BACKOFF)
        self._attempt_failed(error[:500], at + delay, at)

    @event(AttemptFailed)
    def _attempt_failed(self, error: str, retry_at: datetime, at: datetime) -> None:
        self.attempts += 1
        self.next_attempt_at = retry_at
        self.claimed_by, self.claimed_until = None, None
