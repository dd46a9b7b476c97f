"""Following the log from an event loop: woken at once, never later than a poll (0020, 0024).

The room gateway's hub and the media reconciler both need "run this pass now that something
was appended, or at least every ``interval``". Three things wake a ``Follower``:
- this process's own saves (``EventStore.saved_listeners``: called in the saving thread);
- on PostgreSQL, the NOTIFY every append sends on the events table's channel
  (``OneTripRecorder``), heard by a ``Listener`` thread holding one LISTEN connection;
- else a timer: SQLite has no NOTIFY, so another process's appends are seen within a poll.

Wakes that arrive while a pass runs fold into one more pass, so a burst of appends costs one
or two passes, not one each.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import sql

from commands.store import EventStore
from projections.room_feed.projection import NAME as FEED

if TYPE_CHECKING:
    from podium.bootstrap import Podium

log = logging.getLogger(__name__)


class Listener:
    """A thread holding one connection that LISTENs on ``channel``; calls ``wake`` per NOTIFY."""

    def __init__(self, conninfo: str, channel: str, wake: Callable[[], None]) -> None:
        self.conninfo, self.channel, self.wake = conninfo, channel, wake
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="log-listen", daemon=True)
        self.listening = threading.Event()  # set once LISTEN is in force (tests wait on it)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
                    self.listening.set()
                    self.wake()  # whatever was appended while not listening
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            self.wake()
            except psycopg.Error:
                log.exception("lost the LISTEN connection; reconnecting")
                self.listening.clear()
                self._stop.wait(1.0)


class Follower:
    """Runs ``step`` on ``loop`` whenever the log may have grown, and every ``interval``.

    ``conninfo`` (PostgreSQL only) turns on LISTEN/NOTIFY for other processes' appends; a
    ``step`` that fails is logged and tried again after ``interval``: a follower never stops
    because the store hiccupped.
    """

    def __init__(
        self,
        store: EventStore,
        loop: asyncio.AbstractEventLoop,
        step: Callable[[], Awaitable[None]],
        *,
        interval: float,
        conninfo: str | None = None,
        name: str = "follower",
    ) -> None:
        self.store, self.loop, self.step, self.interval = store, loop, step, interval
        self.conninfo, self.name = conninfo, name
        self._wake = asyncio.Event()
        self._stopped = threading.Event()
        self._task: asyncio.Task[None] | None = None
        self.listener: Listener | None = None

    def start(self) -> None:
        """Start following (call on ``loop``)."""
        self.store.saved_listeners.append(self.wake_threadsafe)
        if self.conninfo is not None:
            channel = self.store.recorder.channel_name  # type: ignore[attr-defined]
            self.listener = Listener(self.conninfo, channel, self.wake_threadsafe)
            self.listener.start()
        self._task = self.loop.create_task(self._follow(), name=self.name)

    def stop(self) -> None:
        self._stopped.set()
        if self.wake_threadsafe in self.store.saved_listeners:
            self.store.saved_listeners.remove(self.wake_threadsafe)
        if self.listener is not None:
            self.listener.stop()
        if self._task is not None:
            self._task.cancel()

    async def finished(self) -> None:
        """Wait until the following task has ended (after ``stop``)."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def wake_threadsafe(self) -> None:
        """Something was appended (here, or NOTIFYed by another process): follow now."""
        if self._stopped.is_set():
            return
        with contextlib.suppress(RuntimeError):  # the loop is closing: nobody is left to tell
            self.loop.call_soon_threadsafe(self._wake.set)

    async def _follow(self) -> None:
        while not self._stopped.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.interval)
            self._wake.clear()
            try:
                await self.step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s could not follow the log; trying again", self.name)
                await asyncio.sleep(self.interval)


class FeedReader:
    """The room feed read up to a position where it is complete: the projector has caught the
    feed up to the log's head (inline where this process projects) before the read, so no
    row below the returned position can appear later. The gateway and the reconciler both
    follow the feed this way."""

    def __init__(self, podium: Podium) -> None:
        self.podium = podium
        feed = [p for p in podium.projector.projections if p.name == FEED]
        self.topics = feed[0].topics if feed else ()

    def head(self) -> int:
        """The log's last notification id (0 when empty)."""
        return self.podium.store.recorder.max_notification_id() or 0

    def position(self) -> int:
        settings = self.podium.settings
        self.podium.projector.wait_for(
            self.head(),
            self.topics,
            settings.read_your_writes_timeout,
            catch_up=settings.project_inline,
        )
        return self.podium.projector.position(FEED)

    def read(self, after: int, rooms: list[str]) -> tuple[int, list[dict[str, Any]]]:
        """The rows of ``rooms`` after ``after``, and the position they are complete up to."""
        upto = self.position()
        return upto, self.podium.views.room_feed.between(rooms, after, upto)
