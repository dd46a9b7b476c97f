"""The reconciler: the room's rules, as the log states them, applied to the SFU (decision 0024).

It follows the room feed (decision 0020) for the sessions that have peers in this process,
woken like the gateway (``podium.following.Follower``: this process's saves, PostgreSQL's
NOTIFY, else a poll). When a row of a room-control kind arrives (``audio.*``,
``camera_feeds.*``, ``live_session.*``, ``recorder.*``, ``admission.*``), it reloads that
session's aggregates from the event store (four tiny streams, by their derived ids), computes
the ``ForwardingGraph`` and hands it to ``sfu.apply``. A peer connecting or going
(``sfu.on_peers_changed``) recomputes too. Nothing is remembered between graphs: every graph
is computed from the log and the peers connected, so a restarted plane rebuilds them all as
its peers reconnect.

Runs on the SFU's event loop; store reads run in a small thread pool of its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol
from uuid import UUID

from commands.live.media import Peer
from domain.live.audio import Audio
from domain.live.cameras import CameraFeeds
from domain.live.recording import Recorder
from domain.live_session import LiveSession
from media.graph import ForwardingGraph, compute
from podium.bootstrap import Podium
from podium.following import FeedReader, Follower

log = logging.getLogger(__name__)

# The feed kinds (``aggregate.event``) whose aggregates the graph is computed from; an
# admission's change (a role, a leave) is included so a graph never outlives who is in.
CONTROL_KINDS = ("audio.", "camera_feeds.", "live_session.", "recorder.", "admission.")
SessionKey = tuple[UUID, int]


class SfuPort(Protocol):
    """What the media plane needs of ``media.sfu.Sfu`` (its contract: media/sfu/__init__.py)."""

    on_peers_changed: list[Callable[[UUID, int], None]]

    async def negotiate(self, peer: Peer, offer_sdp: str) -> str: ...

    async def add_candidate(self, peer: Peer, candidate: dict[str, Any] | None) -> None: ...

    async def hang_up(self, peer: Peer) -> None: ...

    def apply(self, graph: ForwardingGraph) -> None: ...

    def peers(self, room_id: UUID, session: int) -> list[Peer]: ...


def is_control(kind: str) -> bool:
    return kind.startswith(CONTROL_KINDS)


def load_graph(podium: Podium, room_id: UUID, session: int, peers: list[Peer]) -> ForwardingGraph:
    """The session's graph from its aggregates as the event store has them now."""
    ids = [
        LiveSession.id_for(room_id, session),
        Audio.id_for(room_id, session),
        CameraFeeds.id_for(room_id, session),
        Recorder.id_for(room_id, session),
    ]
    found = podium.store.load_many(ids)
    live, audio, cameras, recorder = (found.get(i) for i in ids)
    return compute(
        room_id,
        session,
        peers,
        live=live if isinstance(live, LiveSession) else None,
        audio=audio if isinstance(audio, Audio) else None,
        cameras=cameras if isinstance(cameras, CameraFeeds) else None,
        recorder=recorder if isinstance(recorder, Recorder) else None,
    )


class Reconciler:
    """Keeps every session with peers here forwarding what the log says it may."""

    def __init__(self, podium: Podium, sfu: SfuPort, loop: asyncio.AbstractEventLoop) -> None:
        self.podium, self.sfu, self.loop = podium, sfu, loop
        settings = podium.settings
        self.pool = ThreadPoolExecutor(2, thread_name_prefix="reconciler")
        self.sessions: set[SessionKey] = set()  # sessions with peers in this process
        self.graphs: dict[SessionKey, ForwardingGraph] = {}  # the last applied (for reading)
        self.last = 0  # the feed position followed up to
        self.applied = 0  # graphs handed to the SFU (tests and stats read it)
        self._dirty: set[SessionKey] = set()
        self._recomputing: asyncio.Task[None] | None = None
        self.follower = Follower(
            podium.store,
            loop,
            self._pass,
            interval=settings.media_poll_interval,
            conninfo=settings.postgres_conninfo() if settings.store == "postgres" else None,
            name="media-reconciler",
        )
        self.feed = FeedReader(podium)

    async def start(self) -> None:
        """Follow from the feed's head: the graphs themselves come from the aggregates."""
        self.sfu.on_peers_changed.append(self.peers_changed)
        self.last = await self.run(self.feed.position)
        self.follower.start()

    async def stop(self) -> None:
        self.follower.stop()
        await self.follower.finished()
        if self._recomputing is not None:
            self._recomputing.cancel()
        if self.peers_changed in self.sfu.on_peers_changed:
            self.sfu.on_peers_changed.remove(self.peers_changed)
        # Wait for a read already running in the pool: the caller closes the store next, and
        # a SQLite connection closed under a running query crashes the process.
        await asyncio.to_thread(self.pool.shutdown, wait=True, cancel_futures=True)

    async def run(self, function: Callable[..., Any], *args: Any) -> Any:
        return await self.loop.run_in_executor(self.pool, function, *args)

    # -- what makes a graph change ---------------------------------------------------------

    def peers_changed(self, room_id: UUID, session: int) -> None:
        """The SFU's callback (any thread): someone connected or went; recompute that session."""
        self.loop.call_soon_threadsafe(self.mark, (room_id, session))

    def mark(self, key: SessionKey) -> None:
        """Recompute ``key``'s graph soon; marks made while one recompute runs fold into the
        next (on the loop)."""
        self.sessions.add(key)
        self._dirty.add(key)
        if self._recomputing is None or self._recomputing.done():
            self._recomputing = self.loop.create_task(self._recompute_dirty())

    async def _pass(self) -> None:
        """Read the feed past ``last`` for our sessions' rooms; mark the sessions a
        room-control row names. With no session followed there is nothing to read: a session
        marked later is computed from the store, which already holds whatever was skipped."""
        if not self.sessions:
            self.last = max(self.last, await self.run(self.feed.head))
            return
        rooms = sorted({str(room) for room, _ in self.sessions})
        upto, rows = await self.run(self.feed.read, self.last, rooms)
        for row in rows:
            key = (UUID(str(row["room_id"])), int(row["session"]))
            if key in self.sessions and is_control(str(row["kind"])):
                self.mark(key)
        self.last = max(self.last, upto)

    # -- computing and applying ------------------------------------------------------------

    async def _recompute_dirty(self) -> None:
        while self._dirty:
            key = self._dirty.pop()
            try:
                await self.recompute(*key)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("could not reconcile the media of %s; trying at the next change", key)

    async def recompute(self, room_id: UUID, session: int) -> ForwardingGraph:
        """Load, compute and apply one session's graph; forget a session left without peers
        (or ended: the SFU tore it down)."""
        peers = self.sfu.peers(room_id, session)
        graph: ForwardingGraph = await self.run(load_graph, self.podium, room_id, session, peers)
        self.sfu.apply(graph)
        self.applied += 1
        key = (room_id, session)
        self.graphs[key] = graph
        if graph.ended or not self.sfu.peers(room_id, session):
            self.sessions.discard(key)
            self.graphs.pop(key, None)
        return graph
