"""Statistics: rebuild rate and `as_of` latency, beside the raw read+decode of the same log.

    eval "$(scripts/ensure-postgres.sh 2>/dev/null)"
    .venv/bin/python -m bench.statistics --store both --sessions 40 --attendees 20 --instants 20

An account gets ``--sessions`` sessions of one room, each joined by ``--attendees`` people
(half leave before the end), through the HTTP API on a manual clock. Then, in the same run:
the raw read+decode of every notification (the floor), a scratch store of the rooms and
attendance projections built from the whole log (what the first `as_of` at the head costs),
`GET /statistics` live, and `GET /statistics?as_of=` for ``--instants`` random instants in
random order, on a cold cache (each new cut starts from the nearest earlier one kept).
"""

from __future__ import annotations

import argparse
import random
import statistics as stats_lib
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.statistics import past_statistics
from bench.catchup import measure_read_decode
from bench.stores import StoreKind, fresh_store
from podium.bootstrap import bootstrap
from podium.clock import ManualClock
from projections.attendance.projection import AttendanceProjection
from projections.rooms.projection import RoomsProjection
from projections.statistics.as_of import PastStatistics
from tests.e2e.helpers import expect, paying_owner
from tests.e2e.rooms import join
from tests.e2e.test_live_sessions import end, permanent_room, start

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def script(client: TestClient, clock: ManualClock, sessions: int, attendees: int) -> Any:
    owner = paying_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=attendees + 5)
    for _ in range(sessions):
        start(client, owner, room)
        credentials = []
        for person in range(attendees):
            clock.advance(timedelta(seconds=30))
            admitted = expect(join(client, room, f"p{person}@example.com"), 200)
            credentials.append(admitted["credential"])
        clock.advance(timedelta(minutes=20))
        for credential in credentials[: attendees // 2]:
            path = f"/rooms/{room['room_id']}/leave"
            expect(client.post(path, json={"credential": credential}), 200)
        clock.advance(timedelta(minutes=20))
        end(client, owner, room)
        clock.advance(timedelta(hours=2))
    return owner


def run(kind: StoreKind, args: argparse.Namespace, scratch: Path) -> dict[str, Any]:
    with fresh_store(kind, scratch) as settings:
        clock = ManualClock(START)
        podium = bootstrap(settings, clock=clock)
        try:
            with TestClient(create_app(podium)) as client:
                owner = script(client, clock, args.sessions, args.attendees)
                log_events = podium.store.recorder.max_notification_id() or 0
                raw = measure_read_decode(podium)
                past = PastStatistics(
                    podium.store.recorder,
                    podium.store.mapper.to_domain_event,
                    lambda: [RoomsProjection(), AttendanceProjection()],
                )
                began = time.perf_counter()
                past.view_at(log_events)
                rebuild_s = time.perf_counter() - began
                past.close()
                live = []
                for _ in range(5):
                    began = time.perf_counter()
                    expect(client.get("/statistics", headers=owner.headers), 200)
                    live.append((time.perf_counter() - began) * 1000)
                past_statistics(podium).cache_size = args.instants  # a cold cache, kept whole
                span = (clock.now() - START).total_seconds()
                rng = random.Random(args.seed)
                latencies = []
                for _ in range(args.instants):
                    moment = START + timedelta(seconds=rng.uniform(1, span - 1))
                    began = time.perf_counter()
                    params = {"as_of": moment.isoformat()}
                    expect(client.get("/statistics", params=params, headers=owner.headers), 200)
                    latencies.append((time.perf_counter() - began) * 1000)
        finally:
            podium.close()
    return {
        "store": kind,
        "log_events": log_events,
        "raw_read_decode_per_s": raw.per_second,
        "scratch_rebuild_per_s": log_events / rebuild_s,
        "live_ms_p50": stats_lib.median(live),
        "as_of_ms_p50": percentile(latencies, 0.5),
        "as_of_ms_p99": percentile(latencies, 0.99),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--attendees", type=int, default=20)
    parser.add_argument("--instants", type=int, default=20)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args(argv)
    kinds: list[StoreKind] = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    with tempfile.TemporaryDirectory(prefix="bench-statistics-") as scratch:
        for kind in kinds:
            found = run(kind, args, Path(scratch))
            raw = found["raw_read_decode_per_s"]
            print(
                f"{kind}: {found['log_events']} log events; raw read+decode {raw:,.0f}/s; "
                f"scratch rebuild {found['scratch_rebuild_per_s']:,.0f} log events/s "
                f"({found['scratch_rebuild_per_s'] / raw:.2f}x raw); live GET /statistics "
                f"p50 {found['live_ms_p50']:.1f} ms; as_of p50 {found['as_of_ms_p50']:.1f} ms, "
                f"p99 {found['as_of_ms_p99']:.1f} ms ({args.instants} random instants, cold)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
