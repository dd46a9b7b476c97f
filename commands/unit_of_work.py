"""Running a command: load, decide, save in one transaction, retry on conflict, replay on retry.

A command is a function of a ``UnitOfWork`` that returns a ``Result``. The runner saves every
aggregate the command touched, together with the idempotency record when the caller sent a key,
in one ``save()``. If another writer got there first (a version conflict) the command runs
again on fresh state; if the conflict is the idempotency record itself, the other writer was the
same request, and its recorded answer is returned.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from commands.errors import ConflictError, IdempotencyKeyReusedError
from commands.ports import Clock, CommandMetrics
from commands.store import EventStore
from domain.errors import NotFoundError
from domain.idempotency import IdempotencyRecord

A = TypeVar("A", bound=Aggregate)


class Outcome(StrEnum):
    """What became of a command, in the command's own terms (api/outcomes.py maps it to HTTP).

    Refusals a command *answers* rather than raises are here: what they record must commit (a
    declined payment's ledger attempt, a wrong password counted towards a lockout), which an
    exception would roll back. Every other refusal is an exception (commands/errors.py).
    """

    DONE = "done"
    CREATED = "created"
    ACCEPTED = "accepted"  # taken on, finished later (a mail on its way)
    CREDENTIALS_REFUSED = "credentials_refused"  # the wrong password is recorded on the login
    PAYMENT_DECLINED = "payment_declined"  # the declined attempt is recorded in the ledger

    @property
    def refused(self) -> bool:
        """Whether this outcome is a refusal (the API answers it as an error)."""
        return self in (Outcome.CREDENTIALS_REFUSED, Outcome.PAYMENT_DECLINED)


@dataclass(frozen=True)
class Result:
    """What a command answers: its outcome and a JSON-ready body (``{"detail": ...}`` for a
    refusal).

    ``position`` is the notification id of the last event the command appended and ``topics``
    the topics of what it appended, so an answer can wait for exactly the read models its
    write changes (None: not known, as for a replayed answer: wait for everything).
    """

    outcome: Outcome
    body: dict[str, Any]
    replayed: bool = False
    position: int | None = None
    topics: frozenset[str] | None = None


@dataclass(frozen=True)
class Idempotency:
    """An Idempotency-Key, who sent it, and a digest of the request it came with."""

    scope: str
    key: str
    fingerprint: str


@dataclass
class UnitOfWork:
    """The aggregates one run of a command reads and changes, and the time it runs at."""

    store: EventStore
    now: datetime
    payment_key: str
    preloaded: dict[UUID, object | None] = field(default_factory=dict)  # see CommandRunner.run
    _touched: dict[UUID, Aggregate] = field(default_factory=dict)

    def get(self, cls: type[A], aggregate_id: UUID, what: str = "") -> A:
        """The aggregate, loaded once per run; NotFoundError if absent or of another kind."""
        found = self.find(cls, aggregate_id)
        if found is None:
            raise NotFoundError(f"{what or cls.__name__.lower()} not found")
        return found

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        if aggregate_id in self._touched:
            aggregate = self._touched[aggregate_id]
        elif aggregate_id in self.preloaded:
            loaded = self.preloaded.pop(aggregate_id)
            if not isinstance(loaded, Aggregate):
                return None
            aggregate = self._touched[aggregate_id] = loaded
        else:
            try:
                aggregate = self.store.load(aggregate_id)
            except AggregateNotFoundError:
                return None
            self._touched[aggregate_id] = aggregate
        return aggregate if isinstance(aggregate, cls) else None

    def exists(self, aggregate_id: UUID) -> bool:
        return aggregate_id in self._touched or self.store.has_events(aggregate_id)

    def add(self, aggregate: A) -> A:
        """Take a new aggregate into this run, to be saved with the rest."""
        self._touched[aggregate.id] = aggregate
        return aggregate

    def discard(self, aggregate: Aggregate) -> None:
        """Drop what the command did to ``aggregate`` (say, an upgrade whose payment failed)."""
        self._touched.pop(aggregate.id, None)

    def aggregates(self) -> list[Aggregate]:
        return list(self._touched.values())


class CommandRunner:
    """Runs commands against the event store with retries and idempotency."""

    def __init__(
        self,
        store: EventStore,
        clock: Clock,
        attempts: int = 30,
        metrics: CommandMetrics | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.attempts = attempts
        self.metrics = metrics
        self.conflicts = 0  # saves refused by a version conflict since start (for monitoring)
        self._conflicts_lock = threading.Lock()

    def run(
        self,
        command: Callable[[UnitOfWork], Result],
        idempotency: Idempotency | None = None,
        preload: Sequence[UUID] = (),
    ) -> Result:
        """Run ``command`` to a saved result, or return the first answer to its key (see
        ``_run``); counted in ``metrics`` under the name of the method that issued it."""
        if self.metrics is None:
            return self._run(command, idempotency, preload)
        name, started = command_name(command), time.perf_counter()
        try:
            result = self._run(command, idempotency, preload)
        except Exception as error:
            self.metrics.command_failed(name, type(error).__name__, time.perf_counter() - started)
            raise
        outcome = "replayed" if result.replayed else str(result.outcome)
        self.metrics.command_ran(name, outcome, time.perf_counter() - started)
        return result

    def _run(
        self,
        command: Callable[[UnitOfWork], Result],
        idempotency: Idempotency | None,
        preload: Sequence[UUID],
    ) -> Result:
        """Run ``command`` to a saved result, or return the first answer to its key.

        ``preload``: aggregates the command is sure to read (an account and its ledger), loaded
        with the Idempotency-Key's record in one query rather than one query each.
        """
        if not self.store.batches_reads:
            preload = ()  # one query per stream either way: load each when the command asks
        loaded: dict[UUID, object | None] = {}
        if idempotency is not None and preload:
            record_id = IdempotencyRecord.id_for(idempotency.scope, idempotency.key)
            loaded = self.store.load_many(preload, unsnapshotted=[record_id])
            if (first := self._replay(idempotency, loaded.pop(record_id))) is not None:
                return first
        elif idempotency is not None:
            if (first := self.recorded(idempotency)) is not None:
                return first
        elif preload:
            loaded = self.store.load_many(preload)
        payment_key = (
            f"{idempotency.scope}:{idempotency.key}" if idempotency else f"cmd:{uuid.uuid4()}"
        )
        for attempt in range(self.attempts):
            if attempt:
                # Writers that collided retry at random moments so they stop colliding.
                time.sleep(random.uniform(0, 0.002 * min(attempt, 10)))
                loaded = self.store.load_many(preload) if preload else {}
            unit = UnitOfWork(self.store, self.clock.now(), payment_key, loaded)
            result = command(unit)
            aggregates = unit.aggregates()
            if idempotency is not None:
                aggregates.append(
                    IdempotencyRecord(
                        idempotency.scope,
                        idempotency.key,
                        idempotency.fingerprint,
                        str(result.outcome),
                        result.body,
                    )
                )
            try:
                recordings = self.store.save(*aggregates)
            except IntegrityError:
                with self._conflicts_lock:
                    self.conflicts += 1
                if idempotency is not None and (first := self.recorded(idempotency)) is not None:
                    return first
                continue
            return replace(
                result,
                position=max((r.notification.id for r in recordings), default=0),
                topics=frozenset(r.notification.topic for r in recordings),
            )
        raise ConflictError("the account is busy with other changes; please try again")

    def recorded(self, idempotency: Idempotency) -> Result | None:
        """The first answer to this key, or None; refuses the key reused for another request."""
        record_id = IdempotencyRecord.id_for(idempotency.scope, idempotency.key)
        # A record is one event, never snapshotted.
        return self._replay(idempotency, self.store.get_unsnapshotted(record_id))

    @staticmethod
    def _replay(idempotency: Idempotency, record: object | None) -> Result | None:
        if not isinstance(record, IdempotencyRecord):
            return None
        if record.fingerprint != idempotency.fingerprint:
            raise IdempotencyKeyReusedError(
                "this Idempotency-Key was already used for a different request; "
                "use a new key for a new request"
            )
        return Result(Outcome(record.outcome), record.body, replayed=True)


def command_name(command: Callable[..., object]) -> str:
    """The service method a command closure was made in (``Billing.add_funds``): a name from
    the code, so a metric labelled with it has as many series as there are commands."""
    qualname = getattr(command, "__qualname__", type(command).__name__)
    return str(qualname).split(".<locals>", 1)[0]
