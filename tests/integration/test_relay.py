"""The Kafka relay against a real broker (scripts/ensure-kafka.sh), on both stores.

Every event of the log reaches its context's topic, keyed by its aggregate, in version order
per aggregate, with its headers; a relay killed with SIGKILL in the middle of a load and
started again loses nothing (it may send again what it sent last); two relays running at once
never both publish. Each test has a topic prefix of its own on the shared broker.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from collections import defaultdict
from typing import Any

import pytest
from fastapi.testclient import TestClient
from kafka import KafkaConsumer, TopicPartition

from podium import feed
from podium.bootstrap import Podium
from tests.e2e.helpers import Caller, head, trial_owner
from tests.e2e.rooms import join, schedule
from tests.e2e.test_live_sessions import permanent_room, start
from tests.integration.test_cli import PODIUM
from workers.relay import Relay, wait_until_relayed

Message = dict[str, Any]


@pytest.fixture
def prefix() -> str:
    return f"t{uuid.uuid4().hex[:10]}."


@pytest.fixture
def relaying(podium: Podium, kafka_servers: str, prefix: str) -> Podium:
    """``podium`` pointed at the test broker, under this test's topic prefix."""
    podium.settings.kafka_servers = kafka_servers
    podium.settings.kafka_topic_prefix = prefix
    return podium


def consume(servers: str, prefix: str, at_least: int, timeout: float = 60.0) -> list[Message]:
    """Every message under ``prefix`` from the beginning, once ``at_least`` have arrived."""
    consumer = KafkaConsumer(bootstrap_servers=servers.split(","), group_id=None)
    try:
        partitions = [
            TopicPartition(topic, partition)
            for context in feed.contexts()
            for topic in [feed.kafka_topic(prefix, context)]
            for partition in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        consumer.seek_to_beginning()
        received: list[Message] = []
        deadline = time.monotonic() + timeout
        while len(received) < at_least and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=500).values():
                for record in batch:
                    received.append(_message(record))
        # Anything more (a duplicate) has had its chance to arrive too.
        for batch in consumer.poll(timeout_ms=1000).values():
            for record in batch:
                received.append(_message(record))
        return received
    finally:
        consumer.close()


def _message(record: Any) -> Message:
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "key": record.key,
        "headers": dict(record.headers),
        "value": feed.read(record.value),
    }


def some_activity(client: TestClient, email: str) -> Caller:
    """An account, a login, rooms, a session and joins: events of several contexts."""
    owner = trial_owner(client, email)
    rooms_and_joins(client, owner)
    return owner


def rooms_and_joins(client: TestClient, owner: Caller) -> None:
    schedule(client, owner, "Launch")
    room = permanent_room(client, owner, 10)
    start(client, owner, room)
    for n in range(3):
        join(client, room, f"guest{n}@example.com")


def per_aggregate_firsts(messages: list[Message]) -> dict[str, list[int]]:
    """Each aggregate's versions in the order they first arrived (per partition order)."""
    ordered = sorted(messages, key=lambda m: (m["topic"], m["partition"], m["offset"]))
    seen: set[int] = set()
    versions: dict[str, list[int]] = defaultdict(list)
    for message in ordered:
        value = message["value"]
        if value["id"] in seen:
            continue
        seen.add(value["id"])
        versions[value["aggregate_id"]].append(value["version"])
    return versions


def test_every_event_reaches_its_topic_keyed_and_in_order(
    client: TestClient, relaying: Podium, kafka_servers: str, prefix: str
) -> None:
    some_activity(client, "owner@example.com")
    relay = Relay(relaying)
    relay.create_topics()
    sent = relay.catch_up()
    log = relaying.store.recorder.select_notifications(1, 100_000)
    assert sent == len(log) > 20
    assert relay.position() == head(relaying)
    assert relay.catch_up() == 0  # nothing twice

    messages = consume(kafka_servers, prefix, len(log))
    assert sorted(m["value"]["id"] for m in messages) == [n.id for n in log]
    by_id = {n.id: n for n in log}
    partitions: dict[bytes, set[tuple[str, int]]] = defaultdict(set)
    for message in messages:
        value = message["value"]
        notification = by_id[value["id"]]
        assert value["topic"] == notification.topic
        assert message["topic"] == feed.kafka_topic(prefix, feed.context_of(notification.topic))
        assert message["key"] == str(notification.originator_id).encode()
        assert message["headers"]["podium-notification-id"] == str(notification.id).encode()
        assert message["headers"]["podium-version"] == str(notification.originator_version).encode()
        partitions[message["key"]].add((message["topic"], message["partition"]))
    assert all(len(places) == 1 for places in partitions.values())  # one aggregate, one place
    for versions in per_aggregate_firsts(messages).values():
        assert versions == list(range(versions[0], versions[0] + len(versions)))
    contexts = {m["value"]["context"] for m in messages}
    assert {"accounts", "rooms", "live"} <= contexts


def _relay_process(podium: Podium) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **podium.settings.store_variables(),
        "PODIUM_KAFKA_SERVERS": podium.settings.kafka_servers,
        "PODIUM_KAFKA_TOPIC_PREFIX": podium.settings.kafka_topic_prefix,
        "PODIUM_RELAY_BATCH_SIZE": "50",  # many small batches: a kill lands between them
        "PODIUM_RELAY_POLL_INTERVAL": "0.05",
    }
    return subprocess.Popen(
        [*PODIUM, "relay"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _load(client: TestClient, stop: threading.Event, errors: list[BaseException]) -> None:
    try:
        # One account (sign-ups from one address are rate-limited), ever more rooms.
        owner = trial_owner(client, "load@example.com")
        while not stop.is_set():
            rooms_and_joins(client, owner)
    except BaseException as error:  # the test reports it
        errors.append(error)


def test_a_relay_killed_mid_load_loses_nothing_when_started_again(
    client: TestClient, relaying: Podium, kafka_servers: str, prefix: str
) -> None:
    stop, errors = threading.Event(), list[BaseException]()
    load = threading.Thread(target=_load, args=(client, stop, errors))
    first = _relay_process(relaying)
    load.start()
    try:
        relay = Relay(relaying)
        deadline = time.monotonic() + 60
        while relay.position() < 100:  # it has published some of the load
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            assert time.monotonic() < deadline, "the relay published nothing"
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        time.sleep(0.5)  # the load goes on with no relay
        second = _relay_process(relaying)
        time.sleep(1.0)
    finally:
        stop.set()
        load.join(timeout=60)
    try:
        assert not errors, errors
        target = head(relaying)
        wait_until_relayed(relay, target, timeout=60)
    finally:
        second.terminate()
        second.wait(timeout=30)

    log = relaying.store.recorder.select_notifications(1, 1_000_000)
    messages = consume(kafka_servers, prefix, len(log))
    ids = {m["value"]["id"] for m in messages}
    assert ids == {n.id for n in log}  # every event, at least once
    for versions in per_aggregate_firsts(messages).values():
        assert versions == list(range(versions[0], versions[0] + len(versions)))


def test_of_two_relays_only_one_publishes(
    client: TestClient, relaying: Podium, kafka_servers: str, prefix: str
) -> None:
    processes = [_relay_process(relaying), _relay_process(relaying)]
    try:
        some_activity(client, "owner@example.com")
        relay = Relay(relaying)
        wait_until_relayed(relay, head(relaying), timeout=60)
        some_activity(client, "second@example.com")
        wait_until_relayed(relay, head(relaying), timeout=60)
        assert all(process.poll() is None for process in processes)  # the standby waits
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    log = relaying.store.recorder.select_notifications(1, 1_000_000)
    messages = consume(kafka_servers, prefix, len(log))
    assert sorted(m["value"]["id"] for m in messages) == [n.id for n in log]  # each once
