"""The OutgoingMail aggregate: one message in the outbox, until the mailer delivers it.

Queued in the same transaction as the command that causes it, so no accepted command loses its
mail; delivery attempts are events too, so the outbox's state survives restarts.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy

MAX_BACKOFF = timedelta(hours=1)


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

    def delivered_at(self, at: datetime) -> None:
        if not self.delivered:
            self._delivered(at)

    @event(Delivered)
    def _delivered(self, at: datetime) -> None:
        self.delivered = True

    def attempt_failed(self, error: str, at: datetime) -> None:
        """Back off exponentially: 30 s, 1 min, 2 min ... at most an hour between attempts."""
        delay = min(timedelta(seconds=30 * 2 ** min(self.attempts, 12)), MAX_BACKOFF)
        self._attempt_failed(error[:500], at + delay, at)

    @event(AttemptFailed)
    def _attempt_failed(self, error: str, retry_at: datetime, at: datetime) -> None:
        self.attempts += 1
        self.next_attempt_at = retry_at
