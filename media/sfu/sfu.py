"""``Sfu``: the sessions' peer connections, and the forwarding graph applied to them.

Everything here runs on the SFU's one event loop (``media.plane`` gives it one): ``apply`` is
sync and is called on that loop; packets arrive on it from the taps; nothing takes a lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from uuid import UUID

from aiortc import RTCIceServer
from aiortc.rtcrtpreceiver import RTCRtpReceiver

from commands.live.media import Peer, Purpose
from media.graph import ForwardingGraph, Source
from media.recording import PacketSink
from media.sfu.connections import Connection, answer, new_connection, on_state_change, pli_sender
from media.sfu.feeds import RecordingTap, SourceFeed
from media.sfu.keyframes import KeyframeRequester
from media.sfu.signalling import (
    VIDEO_CODECS,
    MediaError,
    SessionEndedError,
    SupersededError,
    UnknownPeerError,
    read_candidate,
    read_offer,
)
from media.sfu.slots import SlotTrack
from media.sfu.stats import SfuStats, SlotCounters, SourceCounters

logger = logging.getLogger(__name__)

SinkFactory = Callable[[ForwardingGraph, Source, str], PacketSink]
PeersChanged = Callable[[UUID, int], None]
SessionKey = tuple[UUID, int]


@dataclass(eq=False)
class _Session:
    graph: ForwardingGraph | None = None
    connections: dict[tuple[str, Purpose], Connection] = field(default_factory=dict)
    feeds: dict[Source, SourceFeed] = field(default_factory=dict)
    recorders: dict[Source, RecordingTap] = field(default_factory=dict)
    recording_take: int | None = None
    # Where each source's timeline stopped when its publisher went (pts, wallclock).
    resume: dict[Source, tuple[int, float]] = field(default_factory=dict)


class Sfu:
    """See ``media.sfu`` for the contract."""

    def __init__(
        self,
        *,
        ice_servers: list[RTCIceServer] | None = None,
        video_codec: str = "VP8",
        recording_sinks: SinkFactory | None = None,
        keyframe_interval: float = 1.0,
    ) -> None:
        if video_codec not in VIDEO_CODECS:
            raise ValueError(f"video_codec must be one of {VIDEO_CODECS}")
        self.video_codec = video_codec
        self.recording_sinks = recording_sinks
        self.on_peers_changed: list[PeersChanged] = []
        self._ice_servers = list(ice_servers or [])
        self._keyframe_interval = keyframe_interval
        self._sessions: dict[SessionKey, _Session] = {}
        self._ended: set[SessionKey] = set()
        self._source_counters: dict[str, SourceCounters] = {}
        self._slot_counters: dict[str, SlotCounters] = {}
        self._closing: set[asyncio.Task[None]] = set()

    # -- signalling ------------------------------------------------------------------------

    async def negotiate(self, peer: Peer, offer_sdp: str) -> str:
        """Answer ``peer``'s offer, replacing the connection it had for the same purpose."""
        key = (peer.room_id, peer.session)
        if key in self._ended:
            raise SessionEndedError(f"session {peer.session} of {peer.room_id} has ended")
        read_offer(offer_sdp, peer.purpose, self.video_codec)  # a bad offer keeps the old one
        session = self._sessions.setdefault(key, _Session())
        slot = (peer.email, peer.purpose)
        old = session.connections.get(slot)
        connection = new_connection(peer, self._ice_servers)
        session.connections[slot] = connection
        if old is not None:
            await self._drop(key, session, old)
        try:
            sdp = await answer(
                connection,
                offer_sdp,
                self.video_codec,
                lambda kind, index: self._new_slot(peer, kind, index),
                lambda kind, codec, receiver: self._new_feed(session, peer, kind, codec, receiver),
            )
            if key in self._ended:
                raise SessionEndedError(f"session {peer.session} of {peer.room_id} has ended")
            if session.connections.get(slot) is not connection:
                raise SupersededError("a newer offer for this connection replaced this one")
        except Exception as error:
            replaced = session.connections.get(slot) is not connection
            if not replaced:
                del session.connections[slot]
            await connection.close()
            # Closed under the answer (aiortc then raises InvalidStateError): by the session's
            # end or by a newer offer of the same peer. Both are the caller's race, not a bug.
            if isinstance(error, MediaError):
                raise
            if key in self._ended:
                raise SessionEndedError(f"session {peer.session} has ended") from error
            if replaced:
                raise SupersededError(
                    "a newer offer for this connection replaced this one"
                ) from error
            raise
        except BaseException:
            if session.connections.get(slot) is connection:
                del session.connections[slot]
            await connection.close()
            raise
        for feed in connection.feeds.values():
            session.feeds[feed.source] = feed
        on_state_change(connection, lambda changed: self._state_changed(key, changed))
        self._route(session)
        return sdp

    async def add_candidate(self, peer: Peer, candidate: dict[str, Any] | None) -> None:
        """One of ``peer``'s trickled candidates (``None``: the last one has come)."""
        read_candidate(candidate)
        connection = self._connection(peer)
        if connection is None:
            raise UnknownPeerError(f"{peer.email} has no {peer.purpose} connection")
        await connection.add_candidate(candidate)

    async def hang_up(self, peer: Peer) -> None:
        key = (peer.room_id, peer.session)
        session = self._sessions.get(key)
        connection = self._connection(peer)
        if session is not None and connection is not None:
            await self._drop(key, session, connection)

    # -- the graph -------------------------------------------------------------------------

    def apply(self, graph: ForwardingGraph) -> None:
        """Forward what ``graph`` says and nothing else (sync, idempotent)."""
        key = (graph.room_id, graph.session)
        if key in self._ended:
            return
        session = self._sessions.setdefault(key, _Session())
        if graph.ended:
            self._end(key, session)
            return
        if session.graph == graph:
            return
        session.graph = graph
        self._route(session)

    def _route(self, session: _Session) -> None:
        graph = session.graph
        receives = graph.receives if graph is not None else {}
        for (email, purpose), connection in session.connections.items():
            # Slots are fed once the connection is up: a GOP replayed into a slot whose sender
            # has not started would sit in its queue (and, on a slow ICE check, overflow it).
            if purpose is not Purpose.RECEIVE or connection.closed or not connection.connected:
                continue
            wanted = receives.get(email, ())
            for kind in ("video", "audio"):
                sources = [source for source in wanted if source.kind == kind]
                for index, slot in enumerate(connection.slots_of(kind)):
                    target = sources[index] if index < len(sources) else None
                    feed = session.feeds.get(target) if target is not None else None
                    if slot.feed is feed and slot.wanted == target:
                        continue
                    if slot.feed is not None:
                        slot.feed.detach(slot)
                    if feed is not None:
                        feed.attach(slot)
                    else:
                        slot.switch(None, target)
        self._route_recording(session)

    def _route_recording(self, session: _Session) -> None:
        graph = session.graph
        recorded = set(graph.recorded) if graph is not None else set()
        take = graph.take if graph is not None else None
        if take != session.recording_take:
            recorded_before, session.recording_take = set(session.recorders), take
            for source in recorded_before:
                self._stop_recording(session, source)
        for source in list(session.recorders):
            if source not in recorded:
                self._stop_recording(session, source)
        for source in sorted(recorded):
            feed = session.feeds.get(source)
            tap = session.recorders.get(source)
            if tap is None and feed is not None and graph is not None and self.recording_sinks:
                sink = self.recording_sinks(graph, source, feed.codec_name)
                tap = session.recorders[source] = RecordingTap(source, sink)
            if feed is not None and tap is not None:
                feed.record(tap)

    def _stop_recording(self, session: _Session, source: Source) -> None:
        tap = session.recorders.pop(source)
        feed = session.feeds.get(source)
        if feed is not None and feed.recorder is tap:
            feed.record(None)
        tap.close()

    def _end(self, key: SessionKey, session: _Session) -> None:
        self._ended.add(key)
        del self._sessions[key]
        for tap in session.recorders.values():
            tap.close()
        for connection in session.connections.values():
            self._close_later(connection)
        session.connections.clear()
        session.feeds.clear()
        prefix = f"{key[0]}/{key[1]}/"  # an ended session's counters go with it
        for counters in (self._source_counters, self._slot_counters):
            for name in [name for name in counters if name.startswith(prefix)]:
                del counters[name]
        self._notify(key)

    # -- peers -----------------------------------------------------------------------------

    def peers(self, room_id: UUID, session: int) -> list[Peer]:
        """The connected peers of a session."""
        state = self._sessions.get((room_id, session))
        if state is None:
            return []
        return [c.peer for c in state.connections.values() if c.connected and not c.closed]

    def publishing(self, room_id: UUID, session: int) -> frozenset[Source]:
        """The sources arriving now (their publish connection is up)."""
        state = self._sessions.get((room_id, session))
        if state is None:
            return frozenset()
        return frozenset(
            source
            for connection in state.connections.values()
            if connection.connected and not connection.closed
            for source in connection.sources
        )

    def stats(self) -> SfuStats:
        """A copy of the counters of the sessions not ended (an ended one's go with it)."""
        return SfuStats(
            sources={key: replace(c) for key, c in self._source_counters.items()},
            slots={key: replace(c) for key, c in self._slot_counters.items()},
        )

    async def close(self) -> None:
        """Close every connection of every session."""
        for session in self._sessions.values():
            for connection in session.connections.values():
                self._close_later(connection)
            for tap in session.recorders.values():
                tap.close()
        self._sessions.clear()
        while self._closing:
            await asyncio.gather(*self._closing, return_exceptions=True)

    def _connection(self, peer: Peer) -> Connection | None:
        session = self._sessions.get((peer.room_id, peer.session))
        if session is None:
            return None
        return session.connections.get((peer.email, peer.purpose))

    def _new_slot(self, peer: Peer, kind: str, index: int) -> SlotTrack:
        key = f"{peer.room_id}/{peer.session}/{peer.email}/{kind}{index}"
        return SlotTrack(kind, key, self._slot_counters.setdefault(key, SlotCounters()))

    def _new_feed(
        self, session: _Session, peer: Peer, kind: str, codec: str, receiver: RTCRtpReceiver
    ) -> SourceFeed:
        source = Source(peer.email, "video" if kind == "video" else "audio")
        key = f"{peer.room_id}/{peer.session}/{peer.email}/{kind}"
        counters = self._source_counters.setdefault(key, SourceCounters())
        requester = None
        if kind == "video":
            requester = KeyframeRequester(pli_sender(receiver), counters, self._keyframe_interval)
        return SourceFeed(source, codec, counters, requester, session.resume.get(source))

    def _forget(self, session: _Session, connection: Connection) -> None:
        """Take ``connection`` out of ``session`` (its feeds too), if still in it."""
        slot = (connection.peer.email, connection.peer.purpose)
        if session.connections.get(slot) is connection:
            del session.connections[slot]
        for feed in connection.feeds.values():
            if session.feeds.get(feed.source) is feed:
                del session.feeds[feed.source]
                session.resume[feed.source] = (feed.last_pts, feed.last_wallclock)

    async def _drop(self, key: SessionKey, session: _Session, connection: Connection) -> None:
        self._forget(session, connection)
        await connection.close()
        self._route(session)
        self._notify(key)

    def _state_changed(self, key: SessionKey, connection: Connection) -> None:
        session = self._sessions.get(key)
        if session is None:
            return
        if connection.closed:
            self._forget(session, connection)
        self._route(session)
        self._notify(key)

    def _close_later(self, connection: Connection) -> None:
        task = asyncio.ensure_future(connection.close())
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def _notify(self, key: SessionKey) -> None:
        for callback in list(self.on_peers_changed):
            try:
                callback(*key)
            except Exception:
                logger.exception("on_peers_changed callback failed")
