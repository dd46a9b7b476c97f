"""Timing many threads doing one operation for a while: throughput and latency percentiles.

Each phase also records the CPU this process used per operation (the GIL makes that the
ceiling of a single process) and how many cores everything else on the machine was using at
the time (PostgreSQL serving us included), so a figure taken on a busy machine says so.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Operation = Callable[[int, int], object]  # (thread number, iteration) -> anything

_PROC_STAT = Path("/proc/stat")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (0.0 where unknown)."""
    try:
        fields = _PROC_STAT.read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(value) for value in fields[:8]]  # user nice system idle iowait irq softirq steal
    busy = sum(ticks) - ticks[3] - ticks[4]
    return busy / os.sysconf("SC_CLK_TCK")


@dataclass
class Meter:
    """Wall time, this process's CPU, and the rest of the machine's CPU over one phase."""

    wall: float = 0.0
    cpu: float = 0.0
    others_cores: float = 0.0
    _start: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def start(self) -> None:
        self._start = (time.perf_counter(), time.process_time(), machine_busy_seconds())

    def stop(self) -> None:
        wall, cpu, busy = self._start
        self.wall = time.perf_counter() - wall
        self.cpu = time.process_time() - cpu
        machine = machine_busy_seconds() - busy
        self.others_cores = max(0.0, machine - self.cpu) / self.wall if self.wall else 0.0


@dataclass
class Stats:
    """What one measured phase did: how many operations, how fast, how long each took."""

    name: str
    threads: int
    ops: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    errors: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    processes: int = 1

    @property
    def concurrency(self) -> str:
        """Threads, or processes x threads each."""
        return f"{self.processes}x{self.threads}" if self.processes > 1 else str(self.threads)

    @property
    def per_second(self) -> float:
        return self.ops / self.seconds if self.seconds else 0.0

    def latency(self, fraction: float) -> float:
        return percentile(self.latencies_ms, fraction)

    def metered(self, meter: Meter) -> Stats:
        self.extra["cpu_ms_per_op"] = round(meter.cpu * 1000.0 / max(1, self.ops), 4)
        self.extra["others_cores"] = round(meter.others_cores, 2)
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "processes": self.processes,
            "threads": self.threads,
            "ops": self.ops,
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1),
            "p50_ms": round(self.latency(0.50), 3),
            "p90_ms": round(self.latency(0.90), 3),
            "p99_ms": round(self.latency(0.99), 3),
            "p999_ms": round(self.latency(0.999), 3),
            "max_ms": round(self.latencies_ms[-1], 3) if self.latencies_ms else 0.0,
            "errors": self.errors,
            **self.extra,
        }


def run_threads(name: str, operation: Operation, threads: int, seconds: float) -> Stats:
    """Run ``operation`` in ``threads`` threads, each as often as it can for ``seconds``.

    All threads start together; an operation that raises is counted under its exception's
    name (its time still counts), so a failing run shows up instead of looking fast.
    """
    barrier = threading.Barrier(threads + 1)
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors: list[Counter[str]] = [Counter() for _ in range(threads)]
    clock = time.perf_counter
    deadline = [0.0]

    def worker(number: int) -> None:
        mine, failed = latencies[number], errors[number]
        barrier.wait()
        iteration = 0
        while (started := clock()) < deadline[0]:
            try:
                operation(number, iteration)
            except Exception as error:  # counted and reported, not hidden
                failed[type(error).__name__] += 1
            mine.append((clock() - started) * 1000.0)
            iteration += 1

    workers = [
        threading.Thread(target=worker, args=(n,), name=f"bench-{n}") for n in range(threads)
    ]
    for thread in workers:
        thread.start()
    meter = Meter()
    meter.start()
    deadline[0] = clock() + seconds
    barrier.wait()
    for thread in workers:
        thread.join()
    meter.stop()
    merged = sorted(value for values in latencies for value in values)
    total_errors: Counter[str] = Counter()
    for counter in errors:
        total_errors.update(counter)
    stats = Stats(name, threads, len(merged), meter.wall, merged, dict(total_errors))
    return stats.metered(meter)


def run_batch(name: str, operation: Callable[[], int]) -> Stats:
    """Time one call of ``operation``, which returns how many items it processed."""
    meter = Meter()
    meter.start()
    items = operation()
    meter.stop()
    return Stats(name, 1, items, meter.wall, [meter.wall * 1000.0]).metered(meter)
