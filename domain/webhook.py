"""The WebhookEndpoint aggregate: where an account wants its events POSTed (decision 0034).

An endpoint holds a URL, the public event kinds it wants (``domain.webhook_kinds``), and a
secret *generation*: the secret itself is never in an event; it is derived from the server
secret, the endpoint's id and the generation (``commands.webhooks.endpoint_secret``), so
rotating it is one more event and the log holds nothing a reader could sign with.

A replay is an event too (``ReplayRequested``): the delivery worker sees it in the read model
and sends the account's events again from the point it names.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, RuleViolationError


class WebhookEndpoint(CheapCopy, Aggregate):
    """One account's webhook endpoint."""

    class Registered(Aggregate.Created):
        account_id: UUID
        url: str
        kinds: list[str]
        description: str
        at: datetime

    class Changed(Aggregate.Event):
        url: str
        kinds: list[str]
        description: str
        at: datetime

    class Disabled(Aggregate.Event):
        at: datetime

    class Enabled(Aggregate.Event):
        at: datetime

    class Deleted(Aggregate.Event):
        at: datetime

    class SecretRotated(Aggregate.Event):
        generation: int
        at: datetime

    class ReplayRequested(Aggregate.Event):
        """Send again from ``position`` (exclusive) or from the first event at or after
        ``since``; ``replay`` numbers this endpoint's replays 1, 2, ..."""

        replay: int
        position: int | None
        since: datetime | None
        at: datetime

    @event(Registered)
    def __init__(
        self,
        id: UUID,
        account_id: UUID,
        url: str,
        kinds: list[str],
        description: str,
        at: datetime,
    ) -> None:
        self.account_id = account_id
        self.url = url
        self.kinds = list(kinds)
        self.description = description
        self.enabled = True
        self.deleted = False
        self.generation = 1
        self.replays = 0

    def check_live(self) -> None:
        if self.deleted:
            raise RuleViolationError("this webhook endpoint was deleted")

    def change(self, url: str, kinds: list[str], description: str, at: datetime) -> bool:
        self.check_live()
        if (url, list(kinds), description) == (self.url, self.kinds, self.description):
            return False
        self._changed(url, list(kinds), description, at)
        return True

    @event(Changed)
    def _changed(self, url: str, kinds: list[str], description: str, at: datetime) -> None:
        self.url, self.kinds, self.description = url, list(kinds), description

    def disable(self, at: datetime) -> None:
        self.check_live()
        if self.enabled:
            self._disabled(at)

    @event(Disabled)
    def _disabled(self, at: datetime) -> None:
        self.enabled = False

    def enable(self, at: datetime) -> None:
        self.check_live()
        if not self.enabled:
            self._enabled(at)

    @event(Enabled)
    def _enabled(self, at: datetime) -> None:
        self.enabled = True

    def delete(self, at: datetime) -> None:
        if not self.deleted:
            self._deleted(at)

    @event(Deleted)
    def _deleted(self, at: datetime) -> None:
        self.deleted = True
        self.enabled = False

    def rotate_secret(self, at: datetime) -> int:
        self.check_live()
        self._rotated(self.generation + 1, at)
        return self.generation

    @event(SecretRotated)
    def _rotated(self, generation: int, at: datetime) -> None:
        self.generation = generation

    def request_replay(self, position: int | None, since: datetime | None, at: datetime) -> int:
        self.check_live()
        if (position is None) == (since is None):
            raise RuleViolationError("a replay starts at a position or at an instant, one of them")
        if position is not None and position < 0:
            raise RuleViolationError("a position is 0 or more")
        if since is not None and since > at:
            raise InvalidRequestError(
                f"a replay starts at a past instant; {since.isoformat()} is in the future"
            )
        self._replay_requested(self.replays + 1, position, since, at)
        return self.replays

    @event(ReplayRequested)
    def _replay_requested(
        self, replay: int, position: int | None, since: datetime | None, at: datetime
    ) -> None:
        self.replays = replay
