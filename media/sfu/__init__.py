"""The selective forwarding unit on aiortc (decision 0022).

Contract the rest of the media plane codes against (``media.sfu.Sfu``; every method on the
SFU's own event loop):
- ``await sfu.negotiate(peer, offer_sdp) -> answer_sdp``: a RECEIVE peer offers recv-only
  m-lines (at most 7 video, 8 audio: its *slots*), a PUBLISH peer send-only ones (at most one
  audio, one video); a new offer for the same (room, session, email, purpose) replaces the old
  connection. The answer holds the SFU's host candidates. Raises ``OfferError`` (a
  ``ValueError``: the client's fault) or ``SessionEndedError``.
- ``await sfu.add_candidate(peer, c)``: ``c`` as the browser's ``RTCIceCandidate.toJSON()``
  (``candidate``, ``sdpMid``, ``sdpMLineIndex``); ``None`` or ``candidate == ""``: no more.
  Raises ``CandidateError`` (``ValueError``) or ``UnknownPeerError`` (``LookupError``).
- ``await sfu.hang_up(peer)``; ``await sfu.close()``.
- ``sfu.apply(graph)``: sync, idempotent, cheap when unchanged. Each subscriber's video
  sources fill its video slots in order, audio its audio slots; the rest are not forwarded;
  nothing is forwarded in a session before its first graph; ``graph.ended`` closes it all.
- ``sfu.on_peers_changed``: list of callbacks ``(room_id, session)`` run when a peer connects,
  goes or fails; ``sfu.peers(room_id, session) -> list[Peer]`` (connected ones);
  ``sfu.publishing(room_id, session) -> frozenset[Source]`` (sources arriving now).
- recording: ``sfu.recording_sinks`` is a factory ``(graph, source, codec) -> PacketSink``
  (``media.recording``; codec ``"VP8"``, ``"H264"`` or ``"opus"``), called when a source in
  ``graph.recorded`` is arriving; the SFU asks the publisher for a keyframe then and feeds the
  sink from it on, with pts continuous across the publisher's reconnects; the sink is closed
  when the source leaves ``graph.recorded``, the take changes or the session ends.
- ``sfu.stats() -> SfuStats``: the SFU's own counters per source and per slot.

Modules: ``tap`` (encoded frames out of aiortc's receiver), ``slots`` (a subscriber's switched
track), ``feeds`` (a publisher's track: fan-out, GOP cache, recording), ``keyframes``
(throttled PLIs upstream), ``connections`` (peer connections from offers), ``signalling``
(what may be offered; the errors), ``sfu`` (sessions and the graph).
"""

from media.sfu.sfu import PeersChanged, Sfu, SinkFactory
from media.sfu.signalling import (
    CandidateError,
    MediaError,
    OfferError,
    SessionEndedError,
    SupersededError,
    UnknownPeerError,
)
from media.sfu.stats import SfuStats, SlotCounters, SourceCounters

__all__ = [
    "CandidateError",
    "MediaError",
    "OfferError",
    "PeersChanged",
    "SessionEndedError",
    "Sfu",
    "SfuStats",
    "SinkFactory",
    "SlotCounters",
    "SourceCounters",
    "SupersededError",
    "UnknownPeerError",
]
