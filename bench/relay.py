"""The Kafka relay's throughput and append-to-consumer lag, beside raw kafka-python sends.

    eval "$(scripts/ensure-postgres.sh 2>/dev/null)"; eval "$(scripts/ensure-kafka.sh 2>/dev/null)"
    .venv/bin/python -m bench.relay --store both --events 50000 --lag-events 400

Per store, in one run against the same broker:
1. **raw send** (baseline): the same number of values of the same size sent by one
   kafka-python producer with the relay's settings (idempotent, acks=all), flushed and every
   future checked, with nothing read or decoded: what the broker and client allow.
2. **relay**: ``Relay.catch_up()`` over a log of that many events (contacts saved in batches
   of 1,000): read, decode, envelope, send, flush, check, move the position; events a second.
3. **lag**: with the relay following the log in a thread (woken by saves, or NOTIFY), one event
   appended at a time at ~200 a second; a consumer notes when each arrives; append-to-consumer
   latency p50/p99 (the target is p99 under 100 ms).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from bench.measure import percentile
from bench.stores import fresh_store
from domain.contact import Contact
from podium import feed
from podium.bootstrap import bootstrap
from podium.settings import Settings
from workers.relay import Relay


def fill(settings: Settings, events: int) -> None:
    podium = bootstrap(settings)
    try:
        account = uuid.uuid4()
        at = datetime.now(UTC)
        for start in range(0, events, 1000):
            batch = [
                Contact(account, f"c{n}@example.com", {"first_name": f"C{n}"}, at)
                for n in range(start, min(events, start + 1000))
            ]
            podium.store.save(*batch)
    finally:
        podium.close()


def producer(servers: str) -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=servers.split(","),
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        batch_size=256 * 1024,
    )


def raw_send(servers: str, topic: str, events: int, size: int) -> float:
    value = b"x" * size
    sending = producer(servers)
    try:
        started = time.perf_counter()
        futures = [
            sending.send(topic, key=str(n % 5000).encode(), value=value) for n in range(events)
        ]
        sending.flush()
        for future in futures:
            future.get(timeout=0)
        return events / (time.perf_counter() - started)
    finally:
        sending.close()


def lag(settings: Settings, servers: str, prefix: str, count: int) -> dict[str, float]:
    podium = bootstrap(settings)
    relay = Relay(podium)
    stop = threading.Event()
    runner = threading.Thread(target=relay.run_forever, args=(stop,))
    runner.start()
    consumer = KafkaConsumer(bootstrap_servers=servers.split(","), group_id=None)
    try:
        relay.create_topics()
        topic = feed.kafka_topic(prefix, "contacts")
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_end()
        consumer.poll(timeout_ms=200)
        sent: dict[str, float] = {}
        arrived: dict[str, float] = {}

        def consume() -> None:
            while len(arrived) < count and not stop.is_set():
                for batch in consumer.poll(timeout_ms=100).values():
                    now = time.perf_counter()
                    for record in batch:
                        arrived.setdefault(feed.read(record.value)["aggregate_id"], now)

        reader = threading.Thread(target=consume)
        reader.start()
        account = uuid.uuid4()
        for n in range(count):
            contact = Contact(account, f"lag{n}@example.com", {}, datetime.now(UTC))
            podium.store.save(contact)
            sent[str(contact.id)] = time.perf_counter()
            time.sleep(0.005)
        reader.join(timeout=30)
        lags = sorted((arrived[key] - sent[key]) * 1000 for key in sent if key in arrived)
        return {
            "events": count,
            "received": len(lags),
            "p50_ms": round(percentile(lags, 0.5), 2),
            "p99_ms": round(percentile(lags, 0.99), 2),
            "max_ms": round(lags[-1], 2) if lags else 0.0,
        }
    finally:
        stop.set()
        runner.join(timeout=30)
        consumer.close()
        podium.close()


def bench_store(kind: str, args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    with fresh_store(kind, scratch) as settings:  # type: ignore[arg-type]
        settings.kafka_servers = args.servers
        settings.kafka_topic_prefix = prefix
        fill(settings, args.events)
        podium = bootstrap(settings)
        try:
            relay = Relay(podium)
            relay.create_topics()
            started = time.perf_counter()
            relayed = relay.catch_up()
            relay_rate = relayed / (time.perf_counter() - started)
            first = podium.store.recorder.select_notifications(1, 1)[0]
            size = len(
                feed.envelope(first.id, first.topic, podium.store.mapper.to_domain_event(first))
            )
        finally:
            podium.close()
        raw_rate = raw_send(args.servers, feed.kafka_topic(prefix, "other"), args.events, size)
        lagged = lag(settings, args.servers, prefix, args.lag_events)
    return {
        "store": kind,
        "events": args.events,
        "value_bytes": size,
        "raw_send_per_s": round(raw_rate),
        "relay_per_s": round(relay_rate),
        "relay_vs_raw": round(relay_rate / raw_rate, 2),
        "lag": lagged,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--lag-events", type=int, default=400)
    parser.add_argument("--servers", default="127.0.0.1:19092")
    args = parser.parse_args(argv)
    kinds = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    scratch = Path(tempfile.mkdtemp(prefix="bench-relay-"))
    results = [bench_store(kind, args, scratch) for kind in kinds]
    for result in results:
        lagged = result["lag"]
        print(
            f"{result['store']:8} raw send {result['raw_send_per_s']:>8}/s  relay "
            f"{result['relay_per_s']:>8}/s ({result['relay_vs_raw']}x raw)  lag p50 "
            f"{lagged['p50_ms']} ms p99 {lagged['p99_ms']} ms ({lagged['received']}/"
            f"{lagged['events']})"
        )
    out = Path("var") / f"bench-relay-{int(time.time())}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
