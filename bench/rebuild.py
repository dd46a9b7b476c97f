"""Rebuild speed: ``projector.rebuild()`` beside the raw read+decode of the same log, same run.

    python -m bench.rebuild --store both --events 100000 [--profile]

For each store, a log of at least ``--events`` events is written through the real billing
services (the mix of ``python -m bench``), kept under ``var/`` (SQLite) or in a kept schema
(PostgreSQL) so the next run with the same ``--events`` reuses it (``--fresh`` writes it again).
Then, measured back to back: every notification read and decoded (the baseline), and a full
rebuild of every read model. ``--profile`` also runs the rebuild under cProfile and prints where
its time went.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from bench import catchup, podium_load
from bench.measure import Stats, percentile, run_threads
from bench.report import ratio
from bench.stores import StoreKind, _conninfo, postgres_base
from podium.bootstrap import Podium
from podium.following import Listener
from podium.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
LAG_TARGET_MS = 10.0
TARGET = 50_000.0  # log events a second (issue 11: 10 million in under 4 minutes)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.rebuild", description=__doc__)
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--events", type=int, default=100_000, help="log size, at least")
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=1, help="keep the fastest of R runs")
    parser.add_argument("--fresh", action="store_true", help="write the log again")
    parser.add_argument("--lag", type=int, default=300, help="PostgreSQL: appends timed")
    parser.add_argument("--profile", action="store_true", help="cProfile one more rebuild")
    args = parser.parse_args(argv)
    if min(args.events, args.accounts, args.repeat) < 1:
        parser.error("--events, --accounts and --repeat must be positive")
    return args


def log_settings(kind: StoreKind, events: int, fresh: bool) -> Settings:
    """The kept store holding a log of ``events`` (emptied first when ``fresh``)."""
    data_dir = ROOT / "var" / f"rebuild-log-{kind}-{events}"
    if kind == "sqlite":
        if fresh:
            for path in data_dir.glob("*.db*"):
                path.unlink()
        return Settings(store="sqlite", data_dir=data_dir)
    base = postgres_base()
    schema = f"bench_rebuild_log_{events}"
    with psycopg.connect(_conninfo(base), autocommit=True) as conn:
        if fresh:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    return Settings(store="postgres", data_dir=data_dir, pg_schema=schema, **base)  # type: ignore[arg-type]


def fill(podium: Podium, events: int, accounts: int) -> int:
    """Billing commands until the log holds ``events``; returns its head."""
    head = podium.store.recorder.max_notification_id() or 0
    if head >= events:
        return head
    print(f"  writing a log of {events} events ...", file=sys.stderr, flush=True)
    customers = podium_load.create_customers(podium, accounts, 2)
    load = podium_load.BillingLoad(podium, customers)
    while (head := podium.store.recorder.max_notification_id() or 0) < events:
        run_threads("fill", load.command, 2, 5.0)
        print(f"  {head} events", file=sys.stderr, flush=True)
    return head


def measure_lag(settings: Settings, appends: int) -> Stats:
    """Append to projected, as ``podium project`` runs on PostgreSQL: a projector in its own
    Podium, woken only by the append's NOTIFY (its own saves never happen); another Podium
    appends one top-up at a time and waits until the billing read model shows it."""
    writer, projecting = podium_load.build(settings), podium_load.build(settings)
    stop = threading.Event()
    channel = projecting.store.recorder.channel_name  # type: ignore[attr-defined]
    listener = Listener(settings.postgres_conninfo(), channel, projecting.projector.wake)
    listener.start()
    thread = threading.Thread(target=projecting.projector.run_forever, args=(stop, 1.0))
    try:
        projecting.projector.catch_up()
        thread.start()
        listener.listening.wait(10)
        account = podium_load.create_customers(writer, 1, 1)[0].account_id
        lags: list[float] = []
        alone: list[float] = []  # the append by itself: the baseline, in the same run
        for _ in range(appends):
            started = time.perf_counter()
            position = writer.billing.add_funds(account, 1_000).position or 0
            alone.append((time.perf_counter() - started) * 1000.0)
            while projecting.projector.position("billing_history") < position:
                time.sleep(0.0002)
            lags.append((time.perf_counter() - started) * 1000.0)
        lags.sort()
        alone.sort()
        stats = Stats("append to projected", 1, len(lags), sum(lags) / 1000.0, lags)
        stats.extra["append_alone_p50_ms"] = round(percentile(alone, 0.5), 3)
        stats.extra["append_alone_p99_ms"] = round(percentile(alone, 0.99), 3)
        return stats
    finally:
        stop.set()
        listener.stop()
        thread.join()
        writer.close()
        projecting.close()


def profile_rebuild(podium: Podium, top: int = 30) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    podium.projector.rebuild()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def best(repeat: int, phase: Callable[[], Stats]) -> Stats:
    return max((phase() for _ in range(repeat)), key=lambda stats: stats.per_second)


def bench_store(kind: StoreKind, args: argparse.Namespace) -> dict[str, Any]:
    settings = log_settings(kind, args.events, args.fresh)
    podium = podium_load.build(settings)
    try:
        head = fill(podium, args.events, args.accounts)
        podium.projector.catch_up()
        read = best(args.repeat, lambda: catchup.measure_read_decode(podium))
        rebuilt = best(args.repeat, lambda: catchup.measure_rebuild(podium, read.ops))
        result = {
            "log_events": head,
            "read_decode": read.as_dict(),
            "rebuild": rebuilt.as_dict(),
            "rebuild_over_read_decode": round(ratio(rebuilt.per_second, read.per_second), 3),
            "target_met": rebuilt.per_second >= TARGET,
        }
        if args.profile:
            result["profile"] = profile_rebuild(podium)
    finally:
        podium.close()
    if kind == "postgres" and args.lag:
        lag = measure_lag(settings, args.lag)
        result["lag"] = lag.as_dict()
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds: list[StoreKind] = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    (ROOT / "var").mkdir(exist_ok=True)
    results: dict[str, Any] = {}
    for kind in kinds:
        print(f"rebuild bench on {kind} ...", file=sys.stderr, flush=True)
        results[kind] = bench_store(kind, args)
    for name, result in results.items():
        read, rebuilt = result["read_decode"], result["rebuild"]
        print(
            f"{name:<9} log {result['log_events']:>9} events   "
            f"raw read+decode {read['per_second']:>9.0f}/s   "
            f"rebuild {rebuilt['per_second']:>9.0f}/s "
            f"({result['rebuild_over_read_decode']:.2f} x read+decode; "
            f"target {TARGET:.0f}/s {'met' if result['target_met'] else 'NOT met'})"
        )
        if "lag" in result:
            lag = result["lag"]
            print(
                f"{name:<9} append to projected (LISTEN/NOTIFY): p50 {lag['p50_ms']:.1f} ms, "
                f"p99 {lag['p99_ms']:.1f} ms over {lag['ops']} appends "
                f"(the append itself included: alone p50 {lag['append_alone_p50_ms']:.1f}, "
                f"p99 {lag['append_alone_p99_ms']:.1f} ms; target p99 < {LAG_TARGET_MS:.0f} ms)"
            )
        if "profile" in result:
            print(result["profile"])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = ROOT / "var" / f"bench-rebuild-{stamp}.json"
    path.write_text(json.dumps({"args": vars(args), "stores": results}, indent=2) + "\n")
    print(f"results written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
