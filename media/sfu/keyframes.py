"""Keyframe requests to one publisher: throttled, and repeated until the keyframe comes.

Modelled on mediasoup's ``KeyFrameRequestManager``: every subscriber that loses a picture, every
slot switched to a source without a usable cached keyframe, and the recorder starting may ask;
the publisher hears at most one PLI per ``interval`` however many ask, and hears it again each
``interval`` while no keyframe has arrived (a PLI is a UDP datagram; it can be lost).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from media.sfu.stats import SourceCounters

# Sends one PLI; False when it could not (nothing received yet: the first frame is a keyframe).
SendPli = Callable[[], Awaitable[bool]]


class KeyframeRequester:
    def __init__(self, send_pli: SendPli, counters: SourceCounters, interval: float = 1.0) -> None:
        self._send_pli = send_pli
        self._counters = counters
        self._interval = interval
        self._pending = False
        self._last_sent: float | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> bool:
        """A keyframe has been asked for and has not arrived yet."""
        return self._pending

    def request(self) -> None:
        """Ask for a keyframe (sync; sends now or when the throttle allows)."""
        self._counters.keyframe_requests_received += 1
        self._pending = True
        if self._timer is not None:
            return  # one is already scheduled: this request rides on it
        wait = 0.0
        if self._last_sent is not None:
            wait = self._last_sent + self._interval - time.monotonic()
        if wait <= 0:
            self._send()
        else:
            self._timer = asyncio.get_running_loop().call_later(wait, self._send)

    def keyframe_arrived(self) -> None:
        self._pending = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def close(self) -> None:
        self.keyframe_arrived()
        for task in self._tasks:
            task.cancel()

    async def _send_counted(self) -> None:
        if await self._send_pli():
            self._counters.keyframe_requests_sent += 1

    def _send(self) -> None:
        self._timer = None
        if not self._pending:
            return
        self._last_sent = time.monotonic()
        task = asyncio.ensure_future(self._send_counted())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        # Repeat until the keyframe arrives (keyframe_arrived cancels this).
        self._timer = asyncio.get_running_loop().call_later(self._interval, self._send)
