"""Podium's write path against the raw eventsourcing library, measured in the same run.

    python -m bench --store both --seconds 10 --threads 4 --accounts 1000

For each store: raw appends (one event per save) on one thread and on N; Podium's billing
commands through the services on one thread and on N; the same commands replayed with their
Idempotency-Keys; the log read back and decoded, and ``projector.rebuild()`` over it. Prints a
table with each figure as a multiple of the baseline, and writes var/bench-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench import catchup, podium_load, processes, raw
from bench.measure import Stats
from bench.report import compare, table, verdict
from bench.stores import StoreKind, fresh_store, postgres_server_settings
from podium.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TARGET_PER_SECOND, TARGET_P99_MS = 1_500.0, 10.0  # billing commands on PostgreSQL, N threads


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=10.0, help="per measured phase")
    parser.add_argument("--threads", type=int, default=4, help="N, the multi-threaded runs")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="also run raw appends and commands from this many processes of --threads each",
    )
    parser.add_argument("--accounts", type=int, default=1000, help="paying accounts to set up")
    parser.add_argument("--seed", type=int, default=1, help="for the command mix")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="run each phase this many times and keep the fastest (on a shared machine)",
    )
    args = parser.parse_args(argv)
    if min(args.threads, args.processes, args.accounts, args.repeat) < 1 or args.seconds <= 0:
        parser.error("--threads, --processes, --accounts, --repeat, --seconds must be positive")
    return args


def warm_up(seconds: float) -> float:
    return min(1.0, seconds / 5)


def thread_counts(threads: int) -> list[int]:
    """One thread, N, and two between (on two cores, two threads often have the best p99)."""
    return sorted({1, min(2, threads), threads})


def best_of(repeat: int, phase: Callable[[], Stats]) -> Stats:
    """The fastest of ``repeat`` runs of a phase; the others' rates are kept beside it."""
    runs = [phase() for _ in range(repeat)]
    best = max(runs, key=lambda stats: stats.per_second)
    if repeat > 1:
        best.extra["all_runs_per_second"] = [round(stats.per_second, 1) for stats in runs]
    return best


def bench_store(settings: Settings, args: argparse.Namespace) -> list[tuple[Stats, str]]:
    """Every phase on one store; returns the rows with their comparison to the baseline."""
    rows: list[Stats] = []
    baseline: dict[str, Stats] = {}
    seconds, repeat = args.seconds, args.repeat
    for threads in thread_counts(args.threads):
        raw.measure_appends(settings, threads, warm_up(seconds))
        stats = best_of(repeat, partial(raw.measure_appends, settings, threads, seconds))
        baseline[f"append-{threads}"] = stats
        rows.append(stats)
    if args.processes > 1:
        job = processes.RawAppendJob(settings)
        stats = best_of(
            repeat,
            partial(processes.run_processes, job, args.processes, args.threads, seconds),
        )
        baseline[f"append-{stats.concurrency}"] = stats
        rows.append(stats)
    podium = podium_load.build(settings)
    try:
        customers = podium_load.create_customers(podium, args.accounts, args.threads)
        load = podium_load.BillingLoad(podium, customers, seed=args.seed)
        for threads in thread_counts(args.threads):
            podium_load.measure_commands(load, threads, warm_up(seconds))
            rows.append(
                best_of(repeat, partial(podium_load.measure_commands, load, threads, seconds))
            )
        if args.processes > 1:
            billing = processes.BillingJob(settings, customers, args.processes, args.seed)
            rows.append(
                best_of(
                    repeat,
                    partial(
                        processes.run_processes, billing, args.processes, args.threads, seconds
                    ),
                )
            )
        for threads in thread_counts(args.threads):
            rows.append(
                best_of(repeat, partial(podium_load.measure_replays, load, threads, seconds))
            )
        read = best_of(repeat, partial(catchup.measure_read_decode, podium))
        baseline["read-decode"] = read
        rows.append(read)
        rows.append(best_of(repeat, partial(catchup.measure_rebuild, podium, read.ops)))
    finally:
        podium.close()
    return [(stats, compare(stats, baseline)) for stats in rows]


def environment(kinds: list[StoreKind]) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "eventsourcing": version("eventsourcing"),
        "psycopg": version("psycopg"),
        "podium_settings": Settings().model_dump(include={"pg_pool_size", "aggregate_cache_size"}),
    }
    if "postgres" in kinds:
        facts["postgres"] = postgres_server_settings()
    return facts


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kinds: list[StoreKind] = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    scratch = ROOT / "var"
    scratch.mkdir(exist_ok=True)
    facts = environment(kinds)
    results: dict[str, list[tuple[Stats, str]]] = {}
    for kind in kinds:
        print(f"benchmarking {kind} ...", file=sys.stderr, flush=True)
        with fresh_store(kind, scratch) as settings:
            results[kind] = bench_store(settings, args)
    print(table(results))
    report: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(),
        "args": vars(args),
        "environment": facts,
        "stores": {
            kind: [{**stats.as_dict(), "against_baseline": against} for stats, against in rows]
            for kind, rows in results.items()
        },
    }
    if "postgres" in results:
        print()
        report["target"] = {}
        for stats, _ in results["postgres"]:
            if stats.name != "podium command" or stats.concurrency == "1":
                continue
            verdicts = verdict(stats, TARGET_PER_SECOND, TARGET_P99_MS)
            report["target"][stats.concurrency] = verdicts
            print(
                f"target (PostgreSQL, {stats.concurrency} threads): "
                f">= {TARGET_PER_SECOND:.0f} commands/s at p99 < {TARGET_P99_MS:.0f} ms: "
                f"{'met' if verdicts['met'] else 'NOT met'} "
                f"({stats.per_second:.0f}/s, p99 {stats.latency(0.99):.1f} ms)"
            )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = scratch / f"bench-{stamp}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"results written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
