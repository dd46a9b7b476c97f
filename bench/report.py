"""The results table, with every figure set against the baseline measured in the same run."""

from __future__ import annotations

from typing import Any

from bench.measure import Stats

HEADER = (
    f"{'store':<9}{'measure':<20}{'thr':>4}{'ops':>9}{'per s':>10}"
    f"{'p50 ms':>9}{'p99 ms':>9}{'cpu ms':>8}{'others':>7}"
    "  against the baseline (same run, same store)"
)


def ratio(value: float, base: float) -> float:
    return value / base if base else 0.0


def compare(stats: Stats, baseline: dict[str, Stats]) -> str:
    """A figure as a multiple of the raw library's, for the same number of threads."""
    if stats.name == "podium command":
        raw = baseline[f"append-{stats.concurrency}"]
        return (
            f"{ratio(stats.per_second, raw.per_second):.2f} x raw appends/s, "
            f"p99 {ratio(stats.latency(0.99), raw.latency(0.99)):.1f} x raw"
        )
    if stats.name == "idempotent replay":
        raw = baseline[f"append-{stats.concurrency}"]
        return f"{ratio(stats.per_second, raw.per_second):.2f} x raw appends/s"
    if stats.name == "projector rebuild":
        raw = baseline["read-decode"]
        return f"{ratio(stats.per_second, raw.per_second):.2f} x raw read+decode events/s"
    return "baseline"


def row(store: str, stats: Stats, against: str) -> str:
    errors = f"  errors: {stats.errors}" if stats.errors else ""
    conflicts = stats.extra.get("conflicts")
    retried = f"; {conflicts} conflicts retried" if conflicts else ""
    return (
        f"{store:<9}{stats.name:<20}{stats.concurrency:>4}{stats.ops:>9}{stats.per_second:>10.0f}"
        f"{stats.latency(0.50):>9.2f}{stats.latency(0.99):>9.2f}"
        f"{stats.extra.get('cpu_ms_per_op', 0.0):>8.3f}{stats.extra.get('others_cores', 0.0):>7.2f}"
        f"  {against}{retried}{errors}"
    )


LEGEND = (
    "per s: operations a second (all threads); p50/p99: latency of one operation; "
    "cpu ms: this process's CPU per operation;\n"
    "others: cores the rest of the machine was busy meanwhile (PostgreSQL serving us "
    "included; much more on SQLite means a shared, busy machine)"
)


def table(results: dict[str, list[tuple[Stats, str]]]) -> str:
    lines = [HEADER, "-" * len(HEADER)]
    for store, rows in results.items():
        lines.extend(row(store, stats, against) for stats, against in rows)
    return "\n".join([*lines, "", LEGEND])


def verdict(stats: Stats, target_per_second: float, target_p99_ms: float) -> dict[str, Any]:
    return {
        "per_second": round(stats.per_second, 1),
        "p99_ms": round(stats.latency(0.99), 3),
        "target_per_second": target_per_second,
        "target_p99_ms": target_p99_ms,
        "met": stats.per_second >= target_per_second and stats.latency(0.99) < target_p99_ms,
    }
