"""The event store: one eventsourcing Application holding every aggregate of Podium.

One Application, so one notification log in one global order, and so a command that touches
several aggregates (an upgrade changes the Account and appends to its Ledger) saves them in one
transaction. See docs/decisions/0001-one-event-store.md.

On PostgreSQL the events of one save are appended in one round trip (``OneTripRecorder``); see
bench/README.md for why and what was measured (``python -m bench``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import deepcopy
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    ProcessingEvent,
    project_aggregate,
)
from eventsourcing.domain import Aggregate, DomainEventProtocol, MutableOrImmutableAggregate
from eventsourcing.persistence import (
    ApplicationRecorder,
    InterfaceError,
    OperationalError,
    Recording,
    StoredEvent,
    Transcoder,
)
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from domain.account import Account
from domain.ledger import Ledger

# Any fixed number: serialises the CREATE OR REPLACE FUNCTION of processes starting together.
CREATE_LOCK = 7_160_100_116


class OneTripRecorder(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder, with a cheaper append and a cheaper read.

    Append: the library runs a client-side transaction (BEGIN; LOCK TABLE ... IN EXCLUSIVE
    MODE; NOTIFY; INSERT; COMMIT) in psycopg's pipeline mode, which costs ~0.4 ms of client CPU
    a save (measured: ~30 trips through psycopg's pipeline loop per save) and holds the table
    lock across a round trip to the client between the INSERT and the COMMIT, so a client
    thread waiting for the GIL keeps every other writer waiting too. Here the same statements
    run inside one server-side function called in autocommit mode, so the transaction, its
    lock, its NOTIFY and its commit are one statement and one round trip, and the lock is never
    held while the client is busy: same lock (notification ids stay in commit order), same
    unique key (a version conflict is still an IntegrityError), same notification ids
    returned. The events go as four arrays in binary rather than one array of a composite type,
    which psycopg dumps as escaped text in Python.

    This is not the library's POSTGRES_ENABLE_DB_FUNCTIONS path: that function takes no table
    lock, so notification ids could be committed out of order.

    Read: the same SELECT as the library's, its text built once per shape instead of composed
    on every call.
    """

    def __init__(
        self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"
    ) -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.append_function = f"{events_table_name}_append"
        self.check_identifier_length(self.append_function)
        function, schema = Identifier(self.append_function), Identifier(datastore.schema)
        self.sql_create_statements.append(
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}("
                "ids {id_type}[], versions bigint[], topics text[], states bytea[]) "
                "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ "
                "BEGIN "
                "SET LOCAL lock_timeout = '{lock_timeout}s'; "
                "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
                "NOTIFY {channel}; "
                "RETURN QUERY INSERT INTO {schema}.{table} AS t "
                "(originator_id, originator_version, topic, state) "
                "SELECT * FROM unnest(ids, versions, topics, states) "
                "RETURNING notification_id; "
                "END; $BODY$"
            ).format(
                schema=schema,
                function=function,
                id_type=Identifier(datastore.originator_id_type),
                lock_timeout=datastore.lock_timeout,
                table=Identifier(events_table_name),
                channel=Identifier(self.channel_name),
            )
        )
        self.append_statement = (
            SQL(
                "SELECT * FROM {schema}.{function}"
                "(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[])"
            )
            .format(
                schema=schema,
                function=function,
                id_type=Identifier(datastore.originator_id_type),
            )
            .as_string()
        )
        self._select_statements: dict[tuple[bool, bool, bool, bool], str] = {}
        self.select_after_statement = (
            SQL(
                "SELECT e.originator_id, e.originator_version, e.topic, e.state "
                "FROM unnest(%b::{id_type}[], %b::bigint[]) AS w(id, after) "
                "CROSS JOIN LATERAL (SELECT * FROM {schema}.{table} s "
                "WHERE s.originator_id = w.id AND s.originator_version > w.after "
                "ORDER BY s.originator_version) e"
            )
            .format(
                schema=schema,
                table=Identifier(events_table_name),
                id_type=Identifier(datastore.originator_id_type),
            )
            .as_string()
        )

    def _create_table(self, curs: Cursor[DictRow]) -> None:
        curs.execute(SQL("SELECT pg_advisory_xact_lock({0})").format(CREATE_LOCK))
        super()._create_table(curs)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library does
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return None
        params = (
            [event.originator_id for event in stored_events],
            [event.originator_version for event in stored_events],
            [event.topic for event in stored_events],
            [event.state for event in stored_events],
        )
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.append_statement, params, prepare=True)
            return [row[self.append_function] for row in curs.fetchall()]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library does
    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        shape = (gt is not None, lte is not None, desc, limit is not None)
        statement = self._select_statements.get(shape)
        if statement is None:
            statement = self._select_statements[shape] = self._select_statement(*shape)
        params: list[Any] = [originator_id]
        params.extend(value for value in (gt, lte, limit) if value is not None)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, params, prepare=True)
            return [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library does
    def select_after(self, positions: Sequence[tuple[UUID, int]]) -> list[StoredEvent]:
        """The events of several streams after a version of each, in one query (an index
        scan per stream), ordered by stream and version."""
        params = ([position[0] for position in positions], [position[1] for position in positions])
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_after_statement, params, prepare=True)
            return [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in curs.fetchall()
            ]

    def _select_statement(self, gt: bool, lte: bool, desc: bool, limit: bool) -> str:
        """The library's select_events statement for one combination of its arguments."""
        statement = self.select_events_statement
        if gt:
            statement += SQL(" AND originator_version > %s")
        if lte:
            statement += SQL(" AND originator_version <= %s")
        statement += SQL(" ORDER BY originator_version")
        statement += SQL(" DESC") if desc else SQL(" ASC")
        if limit:
            statement += SQL(" LIMIT %s")
        return statement.as_string()


class EventStore(Application[UUID]):
    """Where every event of Podium is appended, and every aggregate is read from."""

    name = "podium"
    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {
        Account: 50,
        Ledger: 50,
    }

    def __init__(self, env: Mapping[str, str], transcoder: Transcoder) -> None:
        self._transcoder = transcoder
        super().__init__(env)

    def construct_transcoder(self) -> Transcoder:
        return self._transcoder

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
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # deprecated in the library, still called by it
        return recordings

    def get_unsnapshotted(self, aggregate_id: UUID) -> object | None:
        """An aggregate of a kind that is never snapshotted, from its events alone; None if it
        has none. One query, where ``repository.get`` looks for a snapshot first: for lookups
        that mostly find nothing (an Idempotency-Key seen for the first time) that is half."""
        aggregate: object | None = project_aggregate(None, self.events.get(aggregate_id))
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
            found[aggregate_id] = project_aggregate(None, new_events.get(aggregate_id, ()))
        for aggregate_id, hit in cached.items():
            current: Aggregate | None = deepcopy(hit)
            if aggregate_id in new_events:
                current = project_aggregate(current, new_events[aggregate_id])
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

    def _get_or_none(self, aggregate_id: UUID) -> object | None:
        try:
            aggregate: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate

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
