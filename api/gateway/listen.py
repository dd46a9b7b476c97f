"""Hearing other processes' appends on PostgreSQL: every append NOTIFYs the events table's
channel (``OneTripRecorder``), and this thread LISTENs on it and wakes the gateway."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)


class Listener:
    """A thread holding one connection that LISTENs on ``channel``; calls ``wake`` per NOTIFY."""

    def __init__(self, conninfo: str, channel: str, wake: Callable[[], None]) -> None:
        self.conninfo, self.channel, self.wake = conninfo, channel, wake
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gateway-listen", daemon=True)
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
                log.exception("gateway lost its LISTEN connection; reconnecting")
                self.listening.clear()
                self._stop.wait(1.0)
