"""A stand-in for ``media.sfu.Sfu`` (its contract: media/sfu/__init__.py) that keeps what it is
told: the peers negotiated and every graph applied. Unit and signalling tests use it beside
the tests that run the real SFU with aiortc peers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from commands.live.media import Peer, Purpose
from media.graph import ForwardingGraph
from podium.settings import Settings

PeerKey = tuple[UUID, int, str, Purpose]
ANSWER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"


def key_of(peer: Peer) -> PeerKey:
    return (peer.room_id, peer.session, peer.email, peer.purpose)


class FakeSfu:
    """Peers and graphs in dictionaries; an offer that is no SDP is a ``ValueError``."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.on_peers_changed: list[Callable[[UUID, int], None]] = []
        self.connections: dict[PeerKey, Peer] = {}
        self.candidates: dict[PeerKey, list[dict[str, Any] | None]] = {}
        self.graphs: dict[tuple[UUID, int], ForwardingGraph] = {}
        self.applied_at: dict[tuple[UUID, int], float] = {}
        self.changed = threading.Condition()

    def _changed(self, peer: Peer) -> None:
        for callback in list(self.on_peers_changed):
            callback(peer.room_id, peer.session)

    async def negotiate(self, peer: Peer, offer_sdp: str) -> str:
        if not offer_sdp.startswith("v=0"):
            raise ValueError("the offer is not SDP (it must start with v=0)")
        self.connections[key_of(peer)] = peer
        self._changed(peer)
        return ANSWER

    async def add_candidate(self, peer: Peer, candidate: dict[str, Any] | None) -> None:
        if key_of(peer) not in self.connections:
            raise ValueError("no connection to add a candidate to: offer first")
        self.candidates.setdefault(key_of(peer), []).append(candidate)

    async def hang_up(self, peer: Peer) -> None:
        if self.connections.pop(key_of(peer), None) is not None:
            self._changed(peer)

    def apply(self, graph: ForwardingGraph) -> None:
        with self.changed:
            key = (graph.room_id, graph.session)
            self.graphs[key] = graph
            self.applied_at[key] = time.monotonic()
            if graph.ended:
                for peer_key in [k for k in self.connections if k[:2] == key]:
                    del self.connections[peer_key]
            self.changed.notify_all()

    def peers(self, room_id: UUID, session: int) -> list[Peer]:
        return [p for k, p in self.connections.items() if k[:2] == (room_id, session)]

    def wait_for(
        self, room_id: UUID, session: int, test: Callable[[ForwardingGraph], bool], timeout: float
    ) -> ForwardingGraph:
        """The session's graph once ``test`` holds for it; AssertionError after ``timeout``."""
        with self.changed:
            graph = self.graphs.get((room_id, session))
            ok = self.changed.wait_for(
                lambda: (g := self.graphs.get((room_id, session))) is not None and test(g),
                timeout,
            )
            graph = self.graphs.get((room_id, session))
        assert ok, f"the graph never got there; it is {graph}"
        assert graph is not None
        return graph
