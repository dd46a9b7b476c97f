"""Reading the log back: the raw read-and-decode rate, and the projector's rebuild over it."""

from __future__ import annotations

from bench.measure import Stats, run_batch
from podium.bootstrap import Podium

BATCH = 1000


def measure_read_decode(podium: Podium) -> Stats:
    """Every notification of the log, read in batches and decoded: the floor under a rebuild."""
    recorder, decode = podium.store.recorder, podium.store.mapper.to_domain_event

    def read_all() -> int:
        head, position, count = recorder.max_notification_id() or 0, 0, 0
        while position < head:
            batch = recorder.select_notifications(
                position, BATCH, stop=head, inclusive_of_start=False
            )
            if not batch:
                break
            for notification in batch:
                decode(notification)
            count += len(batch)
            position = batch[-1].id
        return count

    return run_batch("raw read+decode", read_all)


def measure_rebuild(podium: Podium, log_events: int) -> Stats:
    """``projector.rebuild()`` over the ``log_events`` the run appended, in log events per second.

    Each projection reads only the topics it wants, so it applies fewer events than the log
    holds; the rate is of the log, since that is what a rebuild has to get through.
    """
    applied: list[int] = []

    def rebuild() -> int:
        applied.append(podium.projector.rebuild())
        return log_events

    stats = run_batch("projector rebuild", rebuild)
    stats.extra["projection_applies"] = applied[0]
    return stats
