"""The forwarding graph of one session: who receives which track, what is recorded (0022).

Pure: no aiortc, no I/O. ``media.reconciler`` computes it from the session's aggregates (audio
mode, mutes and voice, camera feeds, recording, lock, end) and the connected peers; the SFU
obeys it (``Sfu.apply``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from commands.live.media import Peer, Purpose
from domain.live.audio import Audio
from domain.live.cameras import MOST_FEEDS, CameraFeeds
from domain.live.recording import Recorder
from domain.live_session import LiveSession

Kind = Literal["audio", "video"]


@dataclass(frozen=True, order=True)
class Source:
    """One publisher's track of one kind."""

    email: str
    kind: Kind


@dataclass(frozen=True)
class ForwardingGraph:
    room_id: UUID
    session: int
    # For each subscriber (by email): the sources it receives, in slot order (the first video
    # source takes the first video slot, and so on). A subscriber absent receives nothing.
    receives: dict[str, tuple[Source, ...]] = field(default_factory=dict)
    # The sources the recorder takes (empty when not recording or in presenters-only mode),
    # and the recording take they belong to.
    recorded: tuple[Source, ...] = ()
    take: int | None = None
    # The session is over: every peer is closed and nothing is forwarded.
    ended: bool = False

    def forwards(self, source: Source) -> bool:
        """Whether any subscriber or the recorder takes ``source``."""
        return source in self.recorded or any(source in s for s in self.receives.values())


def compute(
    room_id: UUID,
    session: int,
    peers: Iterable[Peer],
    *,
    live: LiveSession | None,
    audio: Audio | None = None,
    cameras: CameraFeeds | None = None,
    recorder: Recorder | None = None,
) -> ForwardingGraph:
    """The graph the room's state allows for the peers connected now.

    Every rule is the domain's own: who may be heard (``Audio.may_speak``) with their
    microphone on (``Audio.muted``), who hears anything (``Audio.hears``), who holds a camera
    feed (``CameraFeeds.in_use``, where the plan's limit is enforced), whether the take is
    recorded (``Recorder.running`` and ``Audio.recorded``). A session not started forwards
    nothing; one ended tears everything down.
    """
    if live is None:
        return ForwardingGraph(room_id, session)
    if not live.live:
        return ForwardingGraph(room_id, session, ended=True)
    audio = audio if audio is not None else Audio(room_id, session)  # the defaults: listen only
    on_camera = cameras.in_use[:MOST_FEEDS] if cameras is not None else []
    publishers: dict[str, bool] = {}  # email -> presents, of those with a publish connection
    receivers: dict[str, bool] = {}
    for peer in peers:
        if peer.room_id != room_id or peer.session != session:
            continue
        chosen = publishers if peer.purpose == Purpose.PUBLISH else receivers
        chosen[peer.email] = chosen.get(peer.email, False) or peer.presents
    videos = [Source(email, "video") for email in on_camera if email in publishers]
    voices = [
        Source(email, "audio")
        for email, presents in sorted(publishers.items())
        if audio.may_speak(email, presents) and not audio.muted(email, presents)
    ]
    forwarded = (*videos, *voices)
    receives = {
        email: tuple(source for source in forwarded if source.email != email)
        for email, presents in sorted(receivers.items())
        if audio.hears(presents)
    }
    take = recorder.running if recorder is not None else None
    if take is None or not audio.recorded:
        return ForwardingGraph(room_id, session, receives)
    return ForwardingGraph(room_id, session, receives, forwarded, take.number)
