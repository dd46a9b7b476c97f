"""Statistics as of a past instant: the log cut at that instant, projected into a scratch store
(decision 0028).

An instant maps to the position of the last event at or before it: events carry the instant
their command ran (``at``, from the injected clock) and notification ids are commit order, so
``at`` does not decrease along the log and a binary search over ids finds the cut in
O(log n) reads of one notification each. The rooms and attendance projections, the same code
the live read store runs, then project the log up to that position into a SQLite file of their
own, and the same ``StatisticsView`` answers from it. A cut is a fact of the log, so its
scratch store never changes: stores are kept by position, least recently used dropped first,
and a new cut starts from a copy of the nearest earlier one kept.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

from eventsourcing.persistence import ApplicationRecorder

from projections.projector import Decoder, Projection, Projector
from projections.statistics.view import StatisticsView
from projections.store import SQLiteReadStore, migrate


class ScratchStore(SQLiteReadStore):
    """A SQLite read store with one connection for every thread, so closing it closes it: a
    cut dropped from the cache leaves no connection open on a deleted file."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._shared = sqlite3.connect(
            path, timeout=30, isolation_level=None, check_same_thread=False
        )
        self._shared.row_factory = sqlite3.Row
        self._reading = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        return self._shared

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._reading:  # one statement at a time on the shared connection
            return super().query(sql, params)

    def close(self) -> None:
        self._shared.close()


class PastStatisticsBusy(RuntimeError):
    """Another cut is being built and did not finish within the wait: ask again later. A build
    of a long log takes seconds; requests queued behind it would hold the API's threads."""


class PastStatistics:
    """Scratch read stores of the log cut at past positions, built on demand and cached."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        decode: Decoder,
        projections: Callable[[], Sequence[Projection]],
        cache_size: int = 8,
        wait: float = 2.0,
    ) -> None:
        self.recorder = recorder
        self.decode = decode
        self.projections = projections
        self.cache_size = cache_size
        self.wait = wait  # how long a request waits for another's build before it is refused
        self.topics = sorted({t for p in projections() for t in p.topics})
        self._directory = tempfile.TemporaryDirectory(prefix="podium-as-of-")
        self._views: OrderedDict[int, StatisticsView] = OrderedDict()
        self._lock = threading.Lock()  # one build at a time; readers of a built view need none

    def position_at(self, instant: datetime) -> int:
        """The id of the last statistics event at or before ``instant`` (0: none yet)."""
        low, high = 0, (self.recorder.max_notification_id() or 0) + 1
        while high - low > 1:
            middle = (low + high) // 2
            found = self.recorder.select_notifications(middle, 1, stop=high - 1, topics=self.topics)
            if not found or self._instant(found[0]) > instant:
                high = middle
            else:
                low = found[0].id
        return low

    def _instant(self, notification: Any) -> datetime:
        event: Any = self.decode(notification)
        at = getattr(event, "at", None)
        return at if isinstance(at, datetime) else event.timestamp  # every event has one

    def view_at(self, position: int) -> StatisticsView:
        """The statistics view over the log cut at ``position`` (PastStatisticsBusy when
        another build holds it longer than ``wait``)."""
        if not self._lock.acquire(timeout=self.wait):
            raise PastStatisticsBusy("statistics of another past instant are being computed")
        try:
            view = self._views.get(position)
            if view is not None:
                self._views.move_to_end(position)
                return view
            view = StatisticsView(self._build(position))
            self._views[position] = view
            while len(self._views) > self.cache_size:
                cut, dropped = self._views.popitem(last=False)
                dropped.store.close()
                self._path(cut).unlink(missing_ok=True)
            return view
        finally:
            self._lock.release()

    def _path(self, position: int) -> Path:
        return Path(self._directory.name) / f"cut-{position}.sqlite"

    def _build(self, position: int) -> ScratchStore:
        """A store of the log cut at ``position``: a copy of the nearest earlier cut in the
        cache caught up from there (its projection positions come with it), else projected
        from the start."""
        path = self._path(position)
        path.unlink(missing_ok=True)
        earlier = max((cut for cut in self._views if cut < position), default=None)
        if earlier is not None:
            with (
                closing(sqlite3.connect(self._path(earlier))) as source,
                closing(sqlite3.connect(path)) as target,
            ):
                source.backup(target)
        store = ScratchStore(path)
        if earlier is None:
            migrate(store)
        Projector(self.recorder, self.decode, store, self.projections()).catch_up(until=position)
        return store

    def close(self) -> None:
        with self._lock:
            for view in self._views.values():
                view.store.close()
            self._views.clear()
            self._directory.cleanup()
