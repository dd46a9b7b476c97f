"""The same load from several processes at once, as several API workers would send it.

One Python process runs Python code on one core at a time (the GIL), so threads stop helping
once a process's CPU is saturated. This runs P processes of T threads each against the same
store (same PostgreSQL schema, same SQLite file): each builds its own Podium (its own pool and
aggregate cache, as a separate API worker would), warms up, waits for the others, then runs.
"""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol

from bench import podium_load, raw
from bench.measure import Meter, Stats, run_threads
from podium.settings import Settings

WARM_UP_SECONDS = 0.5
RESULT_TIMEOUT = 600.0


class Running(Protocol):
    """A job set up in one process."""

    def operation(self, thread: int, iteration: int) -> object: ...

    def measuring(self) -> None:
        """The measured run starts now (the warm-up is over)."""

    def finish(self) -> dict[str, Any]:
        """Clean up; return what the job counted during the measured run."""


class Job(Protocol):
    """What each process runs."""

    @property
    def name(self) -> str: ...

    def start(self, process: int) -> Running: ...


class RawRunning:
    def __init__(self, settings: Settings) -> None:
        # The single-process phase made the tables; processes starting together and each
        # running CREATE ... IF NOT EXISTS can collide in PostgreSQL's catalog.
        self.app = raw.RawApp({**raw.raw_env(settings), "CREATE_TABLE": "false"})
        self.app.save(raw.Tally(-1))

    def operation(self, thread: int, iteration: int) -> object:
        return self.app.save(raw.Tally(iteration))

    def measuring(self) -> None:
        pass

    def finish(self) -> dict[str, Any]:
        self.app.close()
        return {}


class BillingRunning:
    def __init__(self, job: BillingJob, process: int) -> None:
        self.podium = podium_load.build(job.settings, apply_migrations=False)
        mine = job.customers[process :: job.processes]
        self.load = podium_load.BillingLoad(self.podium, mine, seed=job.seed * 100 + process)
        self.conflicts = 0

    def operation(self, thread: int, iteration: int) -> object:
        return self.load.command(thread, iteration)

    def measuring(self) -> None:
        self.conflicts = self.podium.runner.conflicts

    def finish(self) -> dict[str, Any]:
        conflicts = self.podium.runner.conflicts - self.conflicts
        self.podium.close()
        return {"conflicts": conflicts}


@dataclass(frozen=True)
class RawAppendJob:
    """The baseline: one event per save, each process with its own Application."""

    settings: Settings
    name: str = "raw append"

    def start(self, process: int) -> Running:
        return RawRunning(self.settings)


@dataclass(frozen=True)
class BillingJob:
    """The billing mix, each process over its own share of the accounts."""

    settings: Settings
    customers: list[podium_load.Customer]
    processes: int
    seed: int
    name: str = "podium command"

    def start(self, process: int) -> Running:
        return BillingRunning(self, process)


def _child(
    job: Job,
    process: int,
    threads: int,
    seconds: float,
    barrier: Any,
    results: Any,
) -> None:
    try:
        running = job.start(process)
        run_threads("warm-up", running.operation, threads, WARM_UP_SECONDS)
        barrier.wait()
        running.measuring()
        cpu = time.process_time()
        stats = run_threads(job.name, running.operation, threads, seconds)
        cpu = time.process_time() - cpu
        extra = running.finish()
        results.put((process, stats.latencies_ms, stats.seconds, stats.errors, cpu, extra))
    except BaseException as error:
        barrier.abort()
        results.put((process, None, 0.0, {type(error).__name__: 1}, 0.0, {"error": repr(error)}))
        raise


def run_processes(job: Job, processes: int, threads: int, seconds: float) -> Stats:
    """Run ``job`` in ``processes`` processes of ``threads`` threads for ``seconds``."""
    context = multiprocessing.get_context("spawn")  # no forking a process that has pools
    barrier = context.Barrier(processes + 1)
    results = context.Queue()
    children = [
        context.Process(
            target=_child,
            args=(job, n, threads, seconds, barrier, results),
            name=f"bench-{job.name}-{n}-{uuid.uuid4().hex[:6]}",
        )
        for n in range(processes)
    ]
    for child in children:
        child.start()
    meter = Meter()
    try:
        barrier.wait(timeout=RESULT_TIMEOUT)
        meter.start()
        collected = [results.get(timeout=RESULT_TIMEOUT) for _ in children]
        meter.stop()
    finally:
        for child in children:
            child.join(timeout=RESULT_TIMEOUT)
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    cpu, conflicts, wall = 0.0, 0, 0.0
    for _process, values, seconds_taken, child_errors, child_cpu, extra in collected:
        if values is None:
            raise RuntimeError(f"a bench process failed: {extra.get('error')}")
        latencies.extend(values)
        errors.update(child_errors)
        cpu += child_cpu
        conflicts += int(extra.get("conflicts", 0))
        wall = max(wall, seconds_taken)
    latencies.sort()
    stats = Stats(job.name, threads, len(latencies), wall, latencies, dict(errors))
    stats.processes = processes
    # The children's CPU, not this (idle) parent's; the rest of the machine besides them.
    meter.others_cores = max(0.0, meter.others_cores * meter.wall - cpu) / meter.wall
    meter.cpu = cpu
    stats.metered(meter)
    if isinstance(job, BillingJob):
        stats.extra["conflicts"] = conflicts
    return stats
