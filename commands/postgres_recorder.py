"""eventsourcing's PostgreSQL recorder, made cheaper per save and per read for Podium.

See ``OneTripRecorder``; bench/README.md has what was measured (``python -m bench``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

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
            return [_stored_event(row) for row in curs.fetchall()]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library does
    def select_after(self, positions: Sequence[tuple[UUID, int]]) -> list[StoredEvent]:
        """The events of several streams after a version of each, in one query (an index
        scan per stream), each stream's in version order."""
        params = ([position[0] for position in positions], [position[1] for position in positions])
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.select_after_statement, params, prepare=True)
            return [_stored_event(row) for row in curs.fetchall()]

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


def _stored_event(row: DictRow) -> StoredEvent:
    return StoredEvent(
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
    )
