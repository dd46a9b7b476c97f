"""The relay (``podium relay``): every event of the log, published to Kafka, none dropped.

It follows the notification log (woken by this process's saves, by NOTIFY on PostgreSQL, else
every ``relay_poll_interval``) and sends each event to its context's topic, keyed by its
aggregate (``podium.feed``). The correctness argument (decision 0031):

- Notification ids become visible in commit order (the PostgreSQL recorder locks the table on
  insert; SQLite has one writer), so reading ``id > position`` never skips an event.
- The producer is idempotent with ``acks=all``; a batch is flushed and *every* send's future
  checked before the position moves (one small transaction), so an acknowledged position
  means every event at or below it is on the broker. A crash between the sends and that
  transaction sends the batch again: at least once, never lost. Consumers deduplicate by
  (aggregate, version), or by the notification id in the headers.
- One relay is active at a time: it holds a lock for as long as it runs (a PostgreSQL advisory
  lock on its own connection, or an exclusive lock on a file beside the SQLite store); a
  second relay waits for it, so a standby takes over within a poll of the first one dying.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import psycopg
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import TopicAlreadyExistsError

from podium import feed
from podium.following import Listener

if TYPE_CHECKING:
    from podium.bootstrap import Podium

log = logging.getLogger(__name__)
NAME = "kafka"  # the relay's row in relay_positions


class Relay:
    """Publishes the log to Kafka from the stored position on; one active at a time."""

    def __init__(self, podium: Podium, producer: KafkaProducer | None = None) -> None:
        self.podium = podium
        settings = podium.settings
        if not settings.kafka_servers and producer is None:
            raise ValueError("PODIUM_KAFKA_SERVERS is empty: the relay has no broker to send to")
        self.prefix = settings.kafka_topic_prefix
        self.batch_size = settings.relay_batch_size
        self._producer = producer
        self._wake = threading.Event()

    # --- the position ----------------------------------------------------------------------

    def position(self) -> int:
        rows = self.podium.read_store.query(
            "SELECT position FROM relay_positions WHERE name = %s", (NAME,)
        )
        return int(rows[0]["position"]) if rows else 0

    def _advance(self, position: int) -> None:
        with self.podium.read_store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO relay_positions (name, position) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                (NAME, position),
            )

    # --- Kafka -----------------------------------------------------------------------------

    @property
    def producer(self) -> KafkaProducer:
        if self._producer is None:
            self._producer = KafkaProducer(
                bootstrap_servers=self.podium.settings.kafka_servers.split(","),
                acks="all",
                enable_idempotence=True,
                linger_ms=5,
                batch_size=256 * 1024,
                compression_type=None,
                retries=2**31 - 1,  # the idempotent producer retries without duplicating
                request_timeout_ms=15_000,
                delivery_timeout_ms=60_000,
            )
        return self._producer

    def create_topics(self) -> None:
        """One topic per context (the broker creates none by itself); existing ones stay."""
        settings = self.podium.settings
        admin = KafkaAdminClient(bootstrap_servers=settings.kafka_servers.split(","))
        try:
            existing = set(admin.list_topics())
            wanted = [
                NewTopic(
                    feed.kafka_topic(self.prefix, context),
                    num_partitions=settings.kafka_partitions,
                    replication_factor=settings.kafka_replication,
                )
                for context in feed.contexts()
                if feed.kafka_topic(self.prefix, context) not in existing
            ]
            if wanted:
                with contextlib.suppress(TopicAlreadyExistsError):  # another relay was first
                    admin.create_topics(wanted)
        finally:
            admin.close()

    # --- relaying --------------------------------------------------------------------------

    def relay_once(self) -> int:
        """Send the next batch after the stored position; move it once all are acknowledged.
        Returns how many events were sent (0: caught up)."""
        start = self.position()
        store = self.podium.store
        notifications = store.recorder.select_notifications(
            start, self.batch_size, inclusive_of_start=False
        )
        if not notifications:
            return 0
        producer = self.producer
        futures = []
        for notification in notifications:
            event = store.mapper.to_domain_event(notification)
            topic = notification.topic
            futures.append(
                producer.send(
                    feed.kafka_topic(self.prefix, feed.context_of(topic)),
                    key=feed.key(event),
                    value=feed.envelope(notification.id, topic, event),
                    headers=feed.headers(notification.id, topic, event),
                )
            )
        producer.flush()
        for future in futures:
            future.get(timeout=0)  # raises the send's error: the position must not move
        self._advance(notifications[-1].id)
        return len(notifications)

    def catch_up(self) -> int:
        """Relay until the log's head as it is now; how many events were sent."""
        sent = 0
        while (batch := self.relay_once()) > 0:
            sent += batch
        return sent

    def wake(self) -> None:
        self._wake.set()

    def run_forever(self, stop: threading.Event) -> None:
        """Be the active relay (waiting for the lock), then follow the log until ``stop``."""
        settings = self.podium.settings
        with active_relay(self.podium, stop) as active:
            if not active:
                return
            self.create_topics()
            self.podium.store.saved_listeners.append(self.wake)
            listener = None
            if settings.store == "postgres":
                channel = self.podium.store.recorder.channel_name  # type: ignore[attr-defined]
                listener = Listener(settings.postgres_conninfo(), channel, self.wake)
                listener.start()
            try:
                while not stop.is_set():
                    self._wake.clear()
                    try:
                        sent = self.relay_once()
                    except Exception:
                        # A broker or store away: nothing moved, so the batch is sent again.
                        log.exception("relay batch failed; retrying")
                        stop.wait(1.0)
                        continue
                    if sent < self.batch_size:
                        self._wake.wait(settings.relay_poll_interval)
            finally:
                if listener is not None:
                    listener.stop()
                self.podium.store.saved_listeners.remove(self.wake)
                if self._producer is not None:
                    self._producer.close(timeout=10)


@contextlib.contextmanager
def active_relay(podium: Podium, stop: threading.Event, poll: float = 0.5) -> Iterator[bool]:
    """Hold the one-active-relay lock for the block (True), waiting for it; False if ``stop``
    was set while waiting."""
    settings = podium.settings
    if settings.store == "postgres":
        # Per schema: each test run (and each deployment) on one server has its own relay.
        digest = hashlib.sha256(f"podium-relay:{settings.pg_schema}".encode()).digest()
        key = int.from_bytes(digest[:8], "big", signed=True)
        with psycopg.connect(settings.postgres_conninfo(), autocommit=True) as conn:
            while not _try(conn, key):
                if stop.wait(poll):
                    yield False
                    return
            log.info("this relay is the active one")
            yield True
        return
    path = settings.data_dir / "relay.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if stop.wait(poll):
                    yield False
                    return
        log.info("this relay is the active one")
        yield True


def _try(conn: psycopg.Connection[Any], key: int) -> bool:
    row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
    return bool(row and row[0])


def wait_until_relayed(relay: Relay, position: int, timeout: float = 30.0) -> None:
    """Block until the relay's stored position reaches ``position`` (tests and tools)."""
    deadline = time.monotonic() + timeout
    while relay.position() < position:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the relay is at {relay.position()}, not {position}")
        time.sleep(0.05)
