"""The baseline: the eventsourcing library on its own, appending one event per save.

A minimal Application with a trivial aggregate, on the same store as Podium (the same
PostgreSQL server, schema and pool settings, or an SQLite file beside Podium's), with the
library's own JSON transcoder. Each save creates one aggregate, so each is one event in one
transaction: the cheapest write the library can do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.measure import Stats, run_threads
from podium.settings import Settings


class Tally(Aggregate):
    """The smallest useful aggregate: one created event with one field."""

    @event("Started")
    def __init__(self, number: int) -> None:
        self.number = number


class RawApp(Application[UUID]):
    name = "rawbench"  # its own table (rawbench_events) beside Podium's


def raw_env(settings: Settings) -> dict[str, str]:
    """Podium's store settings (server, pool), pointed at the baseline's own table or file,
    without Podium's own tuning (the aggregate cache)."""
    tuning = ("AGGREGATE_CACHE_", "DEEPCOPY_FROM_AGGREGATE_CACHE")
    env = {k: v for k, v in settings.event_store_env().items() if not k.startswith(tuning)}
    if settings.store == "sqlite":
        env["SQLITE_DBNAME"] = str(Path(settings.data_dir) / "rawbench.db")
    return env


def measure_appends(settings: Settings, threads: int, seconds: float) -> Stats:
    app = RawApp(raw_env(settings))
    try:
        app.save(Tally(-1))  # connect and create tables before the clock starts

        def append(_thread: int, iteration: int) -> Any:
            return app.save(Tally(iteration))

        return run_threads("raw append", append, threads, seconds)
    finally:
        app.close()
