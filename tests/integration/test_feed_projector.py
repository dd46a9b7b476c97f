"""The projector as a Kafka consumer group against a real broker, on both stores.

A rich scripted log is relayed to the broker and consumed into a fresh read store: every read
model equals the one projected from the database. A record delivered twice changes nothing;
a version that jumps is reported and held, and applied once the missing one arrives.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from kafka import KafkaProducer

from podium import feed
from podium.bootstrap import Podium, build_read_store
from podium.clock import ManualClock
from podium.settings import Settings
from projections.store import PostgresReadStore, ReadStore, SQLiteReadStore, migrate
from tests.e2e.test_feed_events import rich_log
from tests.integration.test_cli import PODIUM
from workers.feed_projector import GLOBAL_ORDER, FeedProjector, per_aggregate
from workers.relay import Relay


@pytest.fixture
def prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture
def fresh(podium: Podium, tmp_path: Path) -> Iterator[ReadStore]:
    """An empty read store beside the test's, on the same kind of database."""
    settings = podium.settings
    if settings.store == "sqlite":
        store: ReadStore = SQLiteReadStore(tmp_path / "from-feed.db")
        migrate(store)
        yield store
        store.close()
        return
    schema = f"f_{uuid.uuid4().hex[:12]}"
    plain = settings.postgres_conninfo().rsplit(" options=", 1)[0]
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    store = PostgresReadStore(f"{plain} options=-csearch_path={schema}")
    migrate(store)
    yield store
    store.close()
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def relayed(podium: Podium, servers: str, prefix: str) -> int:
    podium.settings.kafka_servers = servers
    podium.settings.kafka_topic_prefix = prefix
    relay = Relay(podium)
    relay.create_topics()
    return relay.catch_up()


def consume_all(projector: FeedProjector, expected: int, polls: int = 60) -> dict[str, int]:
    """Poll until ``expected`` records came (and a few more polls for any extra)."""
    totals = {"applied": 0, "duplicate": 0, "held": 0}
    quiet = 0
    for _ in range(polls):
        counts = projector.poll_once(timeout_ms=500)
        for outcome, n in counts.items():
            totals[outcome] += n
        quiet = quiet + 1 if sum(counts.values()) == 0 else 0
        if sum(totals.values()) >= expected and quiet >= 2:
            break
    return totals


def tables(podium: Podium, store: ReadStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every fed read model's rows, in a stable order (as tests/e2e/test_rebuild.py compares)."""
    seen = {}
    for projection in per_aggregate(podium.projector.projections):
        for table in projection.tables:
            rows = store.query(f"SELECT * FROM {table}")  # noqa: S608 - names are ours
            seen[table] = sorted((tuple(sorted(dict(row).items())) for row in rows), key=repr)
    return seen


def projector_for(podium: Podium, store: ReadStore, servers: str, prefix: str) -> FeedProjector:
    projections = per_aggregate(podium.projector.projections)
    return FeedProjector(store, projections, servers, prefix, group=f"{prefix}projector")


def test_read_models_from_the_feed_equal_those_from_the_database(
    client: TestClient,
    podium: Podium,
    clock: ManualClock,
    kafka_servers: str,
    prefix: str,
    fresh: ReadStore,
) -> None:
    assert {p.name for p in podium.projector.projections} >= GLOBAL_ORDER  # no stale name
    rich_log(client, podium, clock)
    sent = relayed(podium, kafka_servers, prefix)
    podium.projector.catch_up()
    projector = projector_for(podium, fresh, kafka_servers, prefix)
    try:
        totals = consume_all(projector, sent)
        assert totals == {"applied": sent, "duplicate": 0, "held": 0}
        assert projector.gaps() == []
        ours, theirs = tables(podium, fresh), tables(podium, podium.read_store)
        differ = sorted(t for t in theirs if ours[t] != theirs[t])
        assert differ == [], differ
        # Positions are high-water marks: the largest notification id each projection read.
        head = podium.store.recorder.max_notification_id()
        positions = {
            r["name"]: r["position"] for r in fresh.query("SELECT * FROM projection_positions")
        }
        assert max(positions.values()) == head
    finally:
        projector.close()


def test_a_record_delivered_twice_changes_nothing(
    client: TestClient,
    podium: Podium,
    clock: ManualClock,
    kafka_servers: str,
    prefix: str,
    fresh: ReadStore,
) -> None:
    rich_log(client, podium, clock)
    podium.settings.kafka_servers = kafka_servers
    podium.settings.kafka_topic_prefix = prefix
    relay = Relay(podium)
    relay.create_topics()
    sent = relay.catch_up()
    # The relay crashed before its position moved: it sends the whole log again.
    relay._advance(0)
    assert relay.catch_up() == sent
    podium.projector.catch_up()
    projector = projector_for(podium, fresh, kafka_servers, prefix)
    try:
        totals = consume_all(projector, 2 * sent)
        assert totals == {"applied": sent, "duplicate": sent, "held": 0}
        assert tables(podium, fresh) == tables(podium, podium.read_store)
    finally:
        projector.close()


def test_a_version_gap_is_reported_and_held_until_it_fills(
    client: TestClient,
    podium: Podium,
    clock: ManualClock,
    kafka_servers: str,
    prefix: str,
    fresh: ReadStore,
) -> None:
    rich_log(client, podium, clock)
    store = podium.store
    log = store.recorder.select_notifications(1, 1_000_000)
    by_aggregate: dict[Any, list[Any]] = {}
    for notification in log:
        by_aggregate.setdefault(notification.originator_id, []).append(notification)
    aggregate, events = max(by_aggregate.items(), key=lambda item: len(item[1]))
    assert len(events) >= 4
    missing = events[1]  # version 2 is lost on the way; 3 and after arrive
    podium.settings.kafka_servers = kafka_servers
    podium.settings.kafka_topic_prefix = prefix
    Relay(podium).create_topics()
    producer = KafkaProducer(bootstrap_servers=kafka_servers.split(","), acks="all")

    def send(notification: Any) -> None:
        event = store.mapper.to_domain_event(notification)
        producer.send(
            feed.kafka_topic(prefix, feed.context_of(notification.topic)),
            key=feed.key(event),
            value=feed.envelope(notification.id, notification.topic, event),
        )

    projector = projector_for(podium, fresh, kafka_servers, prefix)
    try:
        for notification in events:
            if notification is not missing:
                send(notification)
        producer.flush()
        totals = consume_all(projector, len(events) - 1)
        assert totals == {"applied": 1, "duplicate": 0, "held": len(events) - 2}
        gaps = projector.gaps()
        assert [(g["aggregate_id"], g["expected_version"], g["got_version"]) for g in gaps] == [
            (str(aggregate), 2, 3)
        ]
        applied = fresh.query(
            "SELECT version FROM feed_applied WHERE aggregate_id = %s", (str(aggregate),)
        )
        assert [r["version"] for r in applied] == [1]

        send(missing)  # the relay re-sends it: the gap fills, the held ones follow in order
        producer.flush()
        totals = consume_all(projector, 1)
        assert totals == {"applied": 1, "duplicate": 0, "held": 0}
        assert projector.gaps() == []
        applied = fresh.query(
            "SELECT version FROM feed_applied WHERE aggregate_id = %s", (str(aggregate),)
        )
        assert [r["version"] for r in applied] == [len(events)]
        assert fresh.query("SELECT * FROM feed_held") == []
    finally:
        producer.close()
        projector.close()


@pytest.fixture
def elsewhere(podium: Podium, tmp_path: Path) -> Iterator[Settings]:
    """Settings of another deployment's store (its own read models), empty."""
    settings = podium.settings
    if settings.store == "sqlite":
        yield settings.model_copy(update={"data_dir": tmp_path / "elsewhere"})
        return
    schema = f"f_{uuid.uuid4().hex[:12]}"
    plain = settings.postgres_conninfo().rsplit(" options=", 1)[0]
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield settings.model_copy(update={"pg_schema": schema})
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _feed_project(settings: Settings, servers: str, prefix: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **settings.store_variables(),
        "PODIUM_KAFKA_SERVERS": servers,
        "PODIUM_KAFKA_TOPIC_PREFIX": prefix,
    }
    return subprocess.Popen(
        [*PODIUM, "feed-project", "--group", f"{prefix}cli"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_feed_projector_killed_mid_stream_ends_with_the_same_read_models(
    client: TestClient,
    podium: Podium,
    clock: ManualClock,
    kafka_servers: str,
    prefix: str,
    elsewhere: Settings,
) -> None:
    """``podium feed-project`` killed with SIGKILL while consuming, started again: every
    aggregate applied to its last version, exactly once, and the read models as projected
    from the database."""
    rich_log(client, podium, clock)
    relayed(podium, kafka_servers, prefix)
    podium.projector.catch_up()
    log = podium.store.recorder.select_notifications(1, 1_000_000)
    last = {str(n.originator_id): n.originator_version for n in log}
    first = _feed_project(elsewhere, kafka_servers, prefix)
    store = None
    try:
        deadline = time.monotonic() + 60
        while store is None or not store.query("SELECT 1 FROM feed_applied LIMIT 1"):
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            assert time.monotonic() < deadline, "the feed projector applied nothing"
            time.sleep(0.01)
            if store is None and (
                elsewhere.store == "postgres" or elsewhere.sqlite_read_path.exists()
            ):
                with contextlib.suppress(Exception):
                    probe = build_read_store(elsewhere)
                    probe.query("SELECT 1 FROM feed_applied LIMIT 1")
                    store = probe
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        second = _feed_project(elsewhere, kafka_servers, prefix)
        try:
            deadline = time.monotonic() + 90
            while True:
                rows = store.query("SELECT aggregate_id, version FROM feed_applied")
                if {str(r["aggregate_id"]): int(r["version"]) for r in rows} == last:
                    break
                assert second.poll() is None, second.stderr.read() if second.stderr else ""
                assert time.monotonic() < deadline, "the feed projector did not catch up"
                time.sleep(0.1)
        finally:
            second.terminate()
            second.wait(timeout=30)
        ours, theirs = tables(podium, store), tables(podium, podium.read_store)
        differ = sorted(t for t in theirs if ours[t] != theirs[t])
        assert differ == [], differ
        assert store.query("SELECT * FROM feed_gaps") == []
    finally:
        if first.poll() is None:
            first.kill()
        if store is not None:
            store.close()
