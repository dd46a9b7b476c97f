"""The projector as a Kafka consumer group (``podium feed-project``): read models from the feed.

The alternative to polling the database (decision 0035). Each record is handled in one
read-store transaction that:

- skips it if its (aggregate, version) is at or below what this consumer applied
  (``feed_applied``): the relay sends at least once, so duplicates are expected;
- holds it if its version jumps (``feed_gaps`` reports the gap, ``feed_held`` keeps the
  record): applying it would build a read model no log ever described. Once the missing
  version arrives (the relay re-sends on restart), it and the held ones are applied in order;
- else applies it to every projection whose topics include it, moves each such projection's
  position up to the record's notification id (never down), and records the partition's next
  offset (``feed_offsets``).

The Kafka offset is committed only after the transaction: a crash in between re-delivers what
the transaction already applied, which the first check skips.

*Position.* Per-aggregate order holds (one key, one partition), the global order does not:
partitions interleave freely. So a projection's ``position`` here is a high-water mark (the
largest notification id applied), not "everything up to it"; the consumer's exact position is
the set of partition offsets in ``feed_offsets``. Read models that join across aggregates
cannot be driven from here (``GLOBAL_ORDER``): only ``per_aggregate`` projections are.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from kafka import KafkaConsumer

from podium import feed
from projections.projector import Projection
from projections.store import Cursor, ReadStore

log = logging.getLogger(__name__)
Outcome = Literal["applied", "duplicate", "held"]
GROUP = "podium-projector"

# Read models that read another aggregate's rows while applying an event (a stream routed to
# its room by the room's created event, an answer counted only while its poll is open, a mark
# drawn on its room's board, a renewal that looks up its subaccounts' packages, a timeline
# entry under an owner found through the account): they need the log's *global* order, which
# the feed's partitions do not keep. Consumed in feed order, attendance, room_feed, timeline
# and polls came out different (tests/integration/test_feed_projector.py); whiteboard,
# recordings and account_summary read across aggregates the same way (read in their code);
# account_events finds a stream's account through the room its first event names.
# They stay with the database projector until they tolerate any interleaving.
GLOBAL_ORDER: frozenset[str] = frozenset(
    {
        "account_events",
        "account_summary",
        "attendance",
        "polls",
        "recordings",
        "room_feed",
        "timeline",
        "whiteboard",
    }
)


def per_aggregate(projections: Sequence[Projection]) -> list[Projection]:
    """The projections the feed can drive: all but those needing the global order."""
    return [p for p in projections if p.name not in GLOBAL_ORDER]


class FeedProjector:
    """Applies the feed's records to projections, each exactly once, in per-aggregate order."""

    def __init__(
        self,
        store: ReadStore,
        projections: Sequence[Projection],
        servers: str,
        prefix: str,
        group: str = GROUP,
    ) -> None:
        if not servers:
            raise ValueError("PODIUM_KAFKA_SERVERS is empty: the projector has no feed to read")
        self.store = store
        self.projections = list(projections)
        self.servers = servers.split(",")
        self.topics = [feed.kafka_topic(prefix, context) for context in feed.contexts()]
        self.group = group
        self._consumer: KafkaConsumer | None = None

    # --- one record ------------------------------------------------------------------------

    def handle(
        self, value: bytes, topic: str = "", partition: int = 0, offset: int = -1
    ) -> Outcome:
        """One feed record, in one transaction (the partition's offset recorded with it)."""
        parsed = feed.read(value)
        with self.store.transaction() as cursor:
            outcome = self._handle(cursor, parsed, value)
            if offset >= 0:
                cursor.execute(
                    "INSERT INTO feed_offsets (consumer, topic, kafka_partition, next_offset) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (consumer, topic, kafka_partition) "
                    "DO UPDATE SET next_offset = excluded.next_offset",
                    (self.group, topic, partition, offset + 1),
                )
        return outcome

    def _handle(self, cursor: Cursor, parsed: dict[str, Any], value: bytes) -> Outcome:
        aggregate, version = parsed["aggregate_id"], int(parsed["version"])
        applied = self._applied(cursor, aggregate)
        if version <= applied:
            return "duplicate"
        if version > applied + 1:
            self._hold(cursor, parsed, value, applied + 1)
            return "held"
        self._apply(cursor, parsed)
        # The gap (if any) is filled: the held records that follow go in, in order.
        while True:
            version += 1
            cursor.execute(
                "SELECT value FROM feed_held WHERE consumer = %s AND aggregate_id = %s "
                "AND version = %s",
                (self.group, aggregate, version),
            )
            row = cursor.fetchone()
            if row is None:
                break
            self._apply(cursor, feed.read(str(row["value"]).encode()))
            cursor.execute(
                "DELETE FROM feed_held WHERE consumer = %s AND aggregate_id = %s AND version = %s",
                (self.group, aggregate, version),
            )
        cursor.execute(
            "UPDATE feed_gaps SET resolved_at = %s WHERE consumer = %s AND aggregate_id = %s "
            "AND resolved_at IS NULL AND expected_version <= %s",
            (_now(), self.group, aggregate, version - 1),
        )
        return "applied"

    def _applied(self, cursor: Cursor, aggregate: str) -> int:
        cursor.execute(
            "SELECT version FROM feed_applied WHERE consumer = %s AND aggregate_id = %s",
            (self.group, aggregate),
        )
        row = cursor.fetchone()
        return int(row["version"]) if row is not None else 0

    def _apply(self, cursor: Cursor, parsed: dict[str, Any]) -> None:
        event = feed.event_of(parsed)
        topic, position = parsed["topic"], int(parsed["id"])
        for projection in self.projections:
            if projection.topics and topic not in projection.topics:
                continue
            projection.apply(cursor, event, position)
            # A high-water mark, moved only up (partitions interleave; see the module's doc).
            cursor.execute(
                "INSERT INTO projection_positions (name, position) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position "
                "WHERE projection_positions.position < excluded.position",
                (projection.name, position),
            )
        cursor.execute(
            "INSERT INTO feed_applied (consumer, aggregate_id, version) VALUES (%s, %s, %s) "
            "ON CONFLICT (consumer, aggregate_id) DO UPDATE SET version = excluded.version",
            (self.group, parsed["aggregate_id"], int(parsed["version"])),
        )

    def _hold(self, cursor: Cursor, parsed: dict[str, Any], value: bytes, expected: int) -> None:
        aggregate, version = parsed["aggregate_id"], int(parsed["version"])
        log.error(
            "feed gap: %s %s jumped to version %s, expected %s (notification %s); held until "
            "the missing version arrives",
            parsed["topic"],
            aggregate,
            version,
            expected,
            parsed["id"],
        )
        cursor.execute(
            "INSERT INTO feed_gaps (consumer, aggregate_id, expected_version, got_version, "
            "notification_id, topic, reported_at) VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (consumer, aggregate_id, expected_version) DO NOTHING",
            (self.group, aggregate, expected, version, parsed["id"], parsed["topic"], _now()),
        )
        cursor.execute(
            "INSERT INTO feed_held (consumer, aggregate_id, version, value) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (consumer, aggregate_id, version) DO NOTHING",
            (self.group, aggregate, version, value.decode()),
        )

    # --- reporting -------------------------------------------------------------------------

    def gaps(self) -> list[dict[str, Any]]:
        """Unfilled version gaps, oldest first."""
        rows = self.store.query(
            "SELECT aggregate_id, expected_version, got_version, notification_id, topic, "
            "reported_at FROM feed_gaps WHERE consumer = %s AND resolved_at IS NULL "
            "ORDER BY reported_at, aggregate_id",
            (self.group,),
        )
        return [dict(row) for row in rows]

    # --- Kafka -----------------------------------------------------------------------------

    @property
    def consumer(self) -> KafkaConsumer:
        if self._consumer is None:
            self._consumer = KafkaConsumer(
                bootstrap_servers=self.servers,
                group_id=self.group,
                enable_auto_commit=False,  # committed after the transaction, never before
                auto_offset_reset="earliest",
                max_poll_records=500,
            )
            self._consumer.subscribe(self.topics)
        return self._consumer

    def poll_once(self, timeout_ms: int = 500) -> dict[Outcome, int]:
        """Handle what one poll brings, then commit its offsets; how many of each outcome."""
        counts: dict[Outcome, int] = {"applied": 0, "duplicate": 0, "held": 0}
        batches = self.consumer.poll(timeout_ms=timeout_ms)
        for records in batches.values():
            for record in records:
                outcome = self.handle(record.value, record.topic, record.partition, record.offset)
                counts[outcome] += 1
        if batches:
            self.consumer.commit()  # what this poll returned, all of it in the read store now
        return counts

    def run_forever(self, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    self.poll_once()
                except Exception:
                    # The store or broker away, or an event a projection cannot apply: nothing
                    # was committed past it, so it comes again after the pause.
                    log.exception("feed projector batch failed; retrying")
                    self.close()
                    stop.wait(1.0)
        finally:
            self.close()

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None


def _now() -> str:
    return datetime.now(UTC).isoformat()
