"""The room gateway's fan-out (decision 0020): follow the feed, serialise once, queue per client.

One ``Hub`` per process and event loop. It follows the room feed read model, woken at once by
this process's saves and, on PostgreSQL, by the NOTIFY every append sends, else every
``ws_poll_interval`` (``podium.following.Follower``, shared with the media reconciler). Each
pass reads the feed rows of the rooms it serves past its position, turns them into event JSON
once per audience, and puts the same string on every client's bounded queue without awaiting
any client: a client's own writer task sends it (python-websockets' broadcast notes say why
awaiting each send in turn stalls a room on its slowest client). A client whose queue is full
is dropped from the room and told to resync.

Store work runs in a pool of ``ws_threads`` threads: eventsourcing and the read stores are
synchronous, and the event loop must never wait on them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson

from podium.bootstrap import Podium
from podium.following import FeedReader, Follower, Listener
from projections.room_feed.kinds import PRESENTERS, may_hold_private, public

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Batch:
    """Room events for one audience from one pass: each with its position, and all of them as
    one comma-joined string that every client of that audience shares."""

    events: tuple[tuple[int, str], ...]
    text: str

    @property
    def last(self) -> int:
        return self.events[-1][0]

    def past(self, position: int) -> str:
        """The events after ``position`` (all of them, unless the batch straddles it)."""
        if self.events[0][0] > position:
            return self.text
        return ",".join(text for at, text in self.events if at > position)


RESYNC = object()  # on a client's queue: it fell too far behind; the writer says so and closes


@dataclass(eq=False)
class Client:
    """One socket in one room: who holds it, and the frames waiting for its writer."""

    room_id: str
    session: int
    presents: bool
    person: str
    queue: asyncio.Queue[Any]
    after: int = 0  # the last position this client has (by snapshot, replay or event)
    dropped: bool = False


def event_json(row: dict[str, Any], payload: str) -> str:
    # Kinds are snake_case names and streams UUIDs, so they are spliced as they are.
    return (
        f'{{"position":{int(row["position"])},"session":{int(row["session"])},'
        f'"kind":"{row["kind"]}","stream":"{row["stream_id"]}","payload":{payload}}}'
    )


def batches(rows: Iterable[dict[str, Any]]) -> tuple[Batch | None, Batch | None]:
    """One room's rows as (everyone's batch, presenters' batch): presenters see every event
    whole; everyone else sees the events for all, without their private fields (emails, who
    acted: ``projections.room_feed.kinds.private``)."""
    everyone: list[tuple[int, str]] = []
    presenters: list[tuple[int, str]] = []
    for row in rows:
        payload = str(row["payload"])
        presenters.append((int(row["position"]), event_json(row, payload)))
        if row["audience"] == PRESENTERS:
            continue
        if may_hold_private(payload):
            payload = orjson.dumps(public(orjson.loads(payload))).decode()
        everyone.append((int(row["position"]), event_json(row, payload)))

    def batch(events: list[tuple[int, str]]) -> Batch | None:
        return Batch(tuple(events), ",".join(t for _, t in events)) if events else None

    return batch(everyone), batch(presenters)


@dataclass(eq=False)
class Hub:
    """The rooms this process serves, the clients in each, and the feed position fanned out."""

    podium: Podium
    loop: asyncio.AbstractEventLoop
    rooms: dict[str, set[Client]] = field(default_factory=dict)
    last: int = 0
    sent_batches: int = 0

    def __post_init__(self) -> None:
        settings = self.podium.settings
        self.pool = ThreadPoolExecutor(settings.ws_threads, thread_name_prefix="gateway")
        self.starting: asyncio.Task[None] | None = None
        self.follower = Follower(
            self.podium.store,
            self.loop,
            self._pass,
            interval=settings.ws_poll_interval,
            conninfo=settings.postgres_conninfo() if settings.store == "postgres" else None,
            name="room-gateway",
        )
        self.sockets: dict[tuple[str, int, str], int] = {}  # open sockets per person, here
        self.leaving: dict[tuple[str, int, str], asyncio.Task[None]] = {}
        self.feed = FeedReader(self.podium)

    # -- running -----------------------------------------------------------------------------

    async def start(self) -> None:
        self.last = await self.run(self.feed.position)
        self.follower.start()

    async def stop(self) -> None:
        self.follower.stop()
        for task in self.leaving.values():
            task.cancel()
        # Wait for a read already running in the pool: the caller closes the store next, and
        # a SQLite connection closed under a running query crashes the process.
        await asyncio.to_thread(self.pool.shutdown, wait=True, cancel_futures=True)

    @property
    def listener(self) -> Listener | None:
        """The LISTEN thread on PostgreSQL (None on SQLite)."""
        return self.follower.listener

    def wake_threadsafe(self) -> None:
        """Something was appended (here, or NOTIFYed by another process): follow now."""
        self.follower.wake_threadsafe()

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` in the gateway's threads."""
        return await self.loop.run_in_executor(self.pool, function, *args)

    # -- following the feed --------------------------------------------------------------------

    async def _pass(self) -> None:
        """Fan out what the feed holds past ``last``. A room first subscribed while the read
        was under way was not in it: its rows are read again for it before ``last`` moves, so
        every client gets every event after the position ``subscribe`` told it."""
        after, rooms = self.last, set(self.rooms)
        upto, rows = await self.run(self.feed.read, after, list(rooms))
        self.fan_out(rows)
        while late := set(self.rooms) - rooms:
            rooms |= late
            self.fan_out(await self.run(self.podium.views.room_feed.between, late, after, upto))
        self.last = max(self.last, upto)

    def fan_out(self, rows: list[dict[str, Any]]) -> None:
        """Put each room's new events on its clients' queues; never awaits a client."""
        by_room: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_room.setdefault(str(row["room_id"]), []).append(row)
        for room_id, room_rows in by_room.items():
            clients = self.rooms.get(room_id)
            if not clients:
                continue
            everyone, presenters = batches(room_rows)
            for client in list(clients):
                batch = presenters if client.presents else everyone
                if batch is not None:
                    self.offer(client, batch)

    def offer(self, client: Client, frame: Any) -> bool:
        """Queue a frame for a client; one whose queue is full is dropped and told to resync."""
        if client.dropped:
            return False
        try:
            client.queue.put_nowait(frame)
            self.sent_batches += 1
            return True
        except asyncio.QueueFull:
            self.drop(client)
            while not client.queue.empty():
                client.queue.get_nowait()
            client.queue.put_nowait(RESYNC)
            return False

    # -- clients -----------------------------------------------------------------------------

    def subscribe(self, client: Client) -> int:
        """Start queueing the room's events for ``client``; returns the position from which
        the hub will queue them (every event after it reaches the queue)."""
        self.rooms.setdefault(client.room_id, set()).add(client)
        return self.last

    def drop(self, client: Client) -> None:
        client.dropped = True
        clients = self.rooms.get(client.room_id)
        if clients is not None:
            clients.discard(client)
            if not clients:
                del self.rooms[client.room_id]
