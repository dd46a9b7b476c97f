"""The event store: one eventsourcing Application holding every aggregate of Podium.

One Application, so one notification log in one global order, and so a command that touches
several aggregates (an upgrade changes the Account and appends to its Ledger) saves them in one
transaction. See docs/decisions/0001-one-event-store.md.

On PostgreSQL the events of one save are appended in one round trip, and several streams are
read in one query (``OneTripRecorder``, commands/postgres_recorder.py). Why, and what else the
write path does for speed: docs/decisions/0005-write-path.md; figures: bench/README.md.

Snapshots are sealed when taken and checked before an aggregate is built on one
(commands/snapshots.py, docs/decisions/0009-verified-snapshots.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import deepcopy
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    Repository,
)
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import ApplicationRecorder, Recording, StoredEvent, Transcoder
from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import strtobool

from commands.postgres_recorder import OneTripRecorder
from commands.snapshots import GuardedRepository, Sealer, SnapshotFault, SnapshotGuard
from domain.account import Account
from domain.ledger import Ledger

A = TypeVar("A", bound=Aggregate)


def replay(aggregate: A | None, events: Iterable[Any]) -> A | None:
    """The library's ``project_aggregate`` without its per-event assertion: an isinstance check
    against a runtime Protocol, ~30 us an event on Python 3.11, several times what applying the
    event costs. Every Podium event is an eventsourcing aggregate event, with ``mutate``."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class EventStore(Application[UUID]):
    """Where every event of Podium is appended, and every aggregate is read from."""

    name = "podium"
    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {
        Account: 50,
        Ledger: 50,
    }

    def __init__(self, env: Mapping[str, str], transcoder: Transcoder, *, secret: str) -> None:
        self._transcoder = transcoder
        self.sealer = Sealer(secret, transcoder)
        self.snapshot_guard: SnapshotGuard | None = None
        # Called after every save in this process (the room gateway wakes on them): each must
        # be quick and must not raise.
        self.saved_listeners: list[Callable[[], None]] = []
        super().__init__(env)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        for listener in list(self.saved_listeners):
            listener()

    def construct_transcoder(self) -> Transcoder:
        return self._transcoder

    def construct_repository(self) -> Repository[UUID]:
        """The library's repository, except that a snapshot is checked before it is used."""
        cache_maxsize = self.env.get(self.AGGREGATE_CACHE_MAXSIZE)
        repository = GuardedRepository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=int(cache_maxsize) if cache_maxsize else None,
            fastforward=strtobool(self.env.get(self.AGGREGATE_CACHE_FASTFORWARD, "y")),
            fastforward_skipping=strtobool(
                self.env.get(self.AGGREGATE_CACHE_FASTFORWARD_SKIPPING, "n")
            ),
            deepcopy_from_cache=strtobool(self.env.get(self.DEEPCOPY_FROM_AGGREGATE_CACHE, "y")),
        )
        self.snapshot_guard = repository.guard = SnapshotGuard(self.sealer, self.events)
        return repository

    def take_snapshot(
        self, aggregate_id: UUID, version: int | None = None, projector_func: Any = replay
    ) -> None:
        """The library's ``take_snapshot``, sealing the snapshot (commands/snapshots.py)."""
        if self.snapshots is None:
            return
        projector: Any = replay  # as in ``load``
        aggregate: Aggregate = self.repository.get(
            aggregate_id, version=version, projector_func=projector
        )
        self.snapshots.put([self.sealer.take(aggregate)])

    @property
    def snapshot_faults(self) -> list[SnapshotFault]:
        """The latest snapshots this process refused to build on (for the health check)."""
        return list(self.snapshot_guard.faults) if self.snapshot_guard else []

    def save(
        self,
        *objs: MutableOrImmutableAggregate[UUID] | DomainEventProtocol[UUID] | None,
        **kwargs: Any,
    ) -> list[Recording[UUID]]:
        """``Application.save``, with each aggregate's events collected by its class.

        The library tells aggregates from events with runtime-checkable Protocols, and on
        Python 3.11 such an isinstance check costs 5-10 µs (two per aggregate saved: for a
        command's three aggregates ~3% of its CPU). Podium's aggregates are
        eventsourcing Aggregates, so they are collected directly; anything else goes the
        library's way. The rest is the library's save, step by step.
        """
        processing_event = ProcessingEvent[UUID]()
        for obj in objs:
            if isinstance(obj, Aggregate):
                processing_event.events.extend(obj.collect_events())
                processing_event.aggregates[obj.id] = obj
            else:
                processing_event.collect_events(obj)
        processing_event.saved_kwargs.update(kwargs)
        recordings = self._record(processing_event)
        self._remember(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # deprecated in the library, still called by it
        return recordings

    def _remember(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Put a copy of each saved aggregate the cache already holds into it, so the next
        command that loads it has nothing to replay (its query for other writers' events still
        runs). A copy, because the caller keeps its object: what it changes next, or a result
        that shares a list with it, must never reach the cache. Aggregates the cache does not
        hold (a new idempotency record, a queued mail) stay out of it."""
        cache = self.repository.cache
        if cache is None:
            return
        for aggregate_id in {event.originator_id for event in processing_event.events}:
            try:
                cache.get(aggregate_id)
            except KeyError:
                continue
            saved = processing_event.aggregates.get(aggregate_id)
            if isinstance(saved, Aggregate):
                cache.put(aggregate_id, deepcopy(saved))

    def get_unsnapshotted(self, aggregate_id: UUID) -> object | None:
        """An aggregate of a kind that is never snapshotted, from its events alone; None if it
        has none. One query, where ``repository.get`` looks for a snapshot first: for lookups
        that mostly find nothing (an Idempotency-Key seen for the first time) that is half."""
        aggregate: object | None = replay(None, self.events.get(aggregate_id))
        return aggregate

    def load_many(
        self, aggregate_ids: Sequence[UUID], unsnapshotted: Sequence[UUID] = ()
    ) -> dict[UUID, object | None]:
        """Several aggregates at once, each as ``repository.get`` would give it (None if absent),
        with one query for all those the cache holds and for the ``unsnapshotted`` ones (as
        ``get_unsnapshotted``), instead of one query each.

        A cached aggregate is copied and brought up to date from the events stored after its
        version; the cache then gets a copy of that, so what a command changes never reaches
        the cache. Aggregates the cache does not hold go the library's way (snapshot first).
        """
        cache = self.repository.cache
        found: dict[UUID, object | None] = {}
        cached: dict[UUID, Aggregate] = {}
        for aggregate_id in aggregate_ids:
            try:
                hit = cache.get(aggregate_id) if cache is not None else None
            except KeyError:
                hit = None
            if isinstance(hit, Aggregate):
                cached[aggregate_id] = hit
            else:
                found[aggregate_id] = self._get_or_none(aggregate_id)
        positions = [(aggregate_id, 0) for aggregate_id in unsnapshotted]
        positions.extend((aggregate_id, hit.version) for aggregate_id, hit in cached.items())
        new_events: dict[UUID, list[Any]] = {}
        for stored in self._select_after(positions):
            event = self.mapper.to_domain_event(stored)
            new_events.setdefault(event.originator_id, []).append(event)
        for aggregate_id in unsnapshotted:
            found[aggregate_id] = replay(None, new_events.get(aggregate_id, ()))
        for aggregate_id, hit in cached.items():
            current: Aggregate | None = deepcopy(hit)
            if aggregate_id in new_events:
                current = replay(current, new_events[aggregate_id])
                if cache is not None and current is not None:
                    cache.put(aggregate_id, deepcopy(current))
            found[aggregate_id] = current
        return found

    @property
    def batches_reads(self) -> bool:
        """Whether ``load_many`` reads several streams in one query (PostgreSQL) rather than
        one query each (SQLite, where a query is a function call, not a round trip)."""
        return isinstance(self.recorder, OneTripRecorder)

    def _select_after(self, positions: Sequence[tuple[UUID, int]]) -> Sequence[StoredEvent]:
        if not positions:
            return []
        events: list[StoredEvent]
        if isinstance(self.recorder, OneTripRecorder):
            events = self.recorder.select_after(positions)
            return events
        events = []
        for aggregate_id, after in positions:
            events.extend(self.recorder.select_events(aggregate_id, gt=after))
        return events

    def load(self, aggregate_id: UUID) -> Aggregate:
        """``repository.get``, replaying events with ``replay``; AggregateNotFoundError if none."""
        projector: Any = replay  # the library's generics cannot name "any aggregate class"
        aggregate: Aggregate = self.repository.get(aggregate_id, projector_func=projector)
        return aggregate

    def _get_or_none(self, aggregate_id: UUID) -> object | None:
        try:
            return self.load(aggregate_id)
        except AggregateNotFoundError:
            return None

    def has_events(self, aggregate_id: UUID) -> bool:
        """Whether anything was ever recorded for ``aggregate_id``: one query, nothing decoded
        (``aggregate_id in repository`` loads and copies the whole aggregate to say so)."""
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def construct_recorder(self) -> ApplicationRecorder:
        if not isinstance(self.factory, PostgresFactory):
            return super().construct_recorder()
        recorder = OneTripRecorder(
            self.factory.datastore, events_table_name=f"{self.name.lower()}_events"
        )
        if self.factory.env_create_table():
            recorder.create_table()
        return recorder
