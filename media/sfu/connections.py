"""One participant's peer connection of one purpose, built from its offer.

A *receive* connection gets one ``SlotTrack`` per offered m-line (sendonly on the SFU's side);
a *publish* connection gets a recvonly transceiver per offered m-line whose receiver is tapped
(``media.sfu.tap``) so frames reach a ``SourceFeed`` encoded. Transceivers are added before the
offer is applied: aiortc matches an offer's m-lines to existing transceivers of the same kind,
which lets the SFU pin the codec with the public ``setCodecPreferences`` (an offer creates
transceivers after codecs are already chosen).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.rtcrtpreceiver import RTCRtpReceiver
from aiortc.rtcrtpsender import RTCRtpSender

from commands.live.media import Peer, Purpose
from media.graph import Source
from media.sfu.feeds import SourceFeed
from media.sfu.signalling import (
    CandidateError,
    UnknownPeerError,
    codec_preferences,
    read_candidate,
    read_offer,
)
from media.sfu.slots import SlotTrack
from media.sfu.tap import primary_ssrc, tap_encoded_frames

logger = logging.getLogger(__name__)

MAX_EARLY_CANDIDATES = 64  # a browser gathers a handful per network interface


@dataclass(eq=False)
class Connection:
    peer: Peer
    pc: RTCPeerConnection
    slots: list[SlotTrack] = field(default_factory=list)  # receive: in m-line order
    receivers: dict[str, RTCRtpReceiver] = field(default_factory=dict)  # publish: by kind
    feeds: dict[str, SourceFeed] = field(default_factory=dict)  # publish: by kind
    connected: bool = False
    closed: bool = False
    _remote_set: bool = False
    _early_candidates: list[dict[str, Any] | None] = field(default_factory=list)

    def slots_of(self, kind: str) -> list[SlotTrack]:
        return [slot for slot in self.slots if slot.kind == kind]

    @property
    def sources(self) -> list[Source]:
        return [feed.source for feed in self.feeds.values()]

    async def add_candidate(self, candidate: dict[str, Any] | None) -> None:
        parsed = read_candidate(candidate)  # refuse bad input even while negotiating
        if self.closed:
            raise UnknownPeerError(f"{self.peer.email}'s {self.peer.purpose} connection is closed")
        if not self._remote_set:
            # The browser trickles as soon as it has sent its offer; hold them until applied.
            if len(self._early_candidates) >= MAX_EARLY_CANDIDATES:
                raise CandidateError("too many candidates before the offer was answered")
            self._early_candidates.append(candidate)
            return
        await self.pc.addIceCandidate(parsed)

    async def close(self) -> None:
        self.closed = True
        for feed in self.feeds.values():
            feed.close()
        for slot in self.slots:
            if slot.feed is not None:
                slot.feed.detach(slot)
            slot.switch(None, None)
            slot.stop()
        await self.pc.close()


def new_connection(peer: Peer, ice_servers: list[RTCIceServer]) -> Connection:
    return Connection(peer, RTCPeerConnection(RTCConfiguration(iceServers=ice_servers)))


async def answer(
    connection: Connection,
    offer_sdp: str,
    video_codec: str,
    new_slot: Callable[[str, int], SlotTrack],
    new_feed: Callable[[str, str, RTCRtpReceiver], SourceFeed],
) -> str:
    """Apply the client's offer, build the slots or the tapped receivers, return the answer
    (holding every host candidate: aiortc gathers before it answers)."""
    purpose = connection.peer.purpose
    kinds = read_offer(offer_sdp, purpose, video_codec)
    pc = connection.pc
    counts = {"audio": 0, "video": 0}
    for kind in kinds:
        if purpose is Purpose.RECEIVE:
            slot = new_slot(kind, counts[kind])
            transceiver = pc.addTransceiver(slot, direction="sendonly")
            _route_keyframe_requests(transceiver.sender, slot)
            connection.slots.append(slot)
        else:
            transceiver = pc.addTransceiver(kind, direction="recvonly")
            connection.receivers[kind] = transceiver.receiver
        counts[kind] += 1
        transceiver.setCodecPreferences(codec_preferences(kind, video_codec))
    await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
    # aiortc starts receiving only once ICE and DTLS are up (long after this), so the taps
    # are in place before the first frame.
    for kind, receiver in connection.receivers.items():
        codec_name = video_codec if kind == "video" else "opus"
        feed = new_feed(kind, codec_name, receiver)
        tap_encoded_frames(receiver, kind, feed.deliver)
        connection.feeds[kind] = feed
    local = await pc.createAnswer()
    await pc.setLocalDescription(local)
    connection._remote_set = True
    for candidate in connection._early_candidates:
        await pc.addIceCandidate(read_candidate(candidate))
    connection._early_candidates.clear()
    return pc.localDescription.sdp


def _route_keyframe_requests(sender: RTCRtpSender, slot: SlotTrack) -> None:
    """A subscriber's PLI/FIR reaches ``RTCRtpSender._handle_rtcp_packet``, which calls
    ``_send_keyframe`` to make its *encoder* emit one; a slot has no encoder, so this one
    sender's method is replaced to pass the request upstream instead."""
    sender._send_keyframe = slot.keyframe_requested  # type: ignore[method-assign]


def pli_sender(receiver: RTCRtpReceiver) -> Callable[[], Awaitable[bool]]:
    """How a feed asks its publisher for a keyframe: a PLI to the primary SSRC."""

    async def send_pli() -> bool:
        ssrc = primary_ssrc(receiver)
        if ssrc is None:  # nothing received yet: the first frame is a keyframe anyway
            return False
        try:
            await receiver._send_rtcp_pli(ssrc)
        except Exception:  # the connection is going; the request does not matter any more
            logger.debug("PLI to %s not sent", ssrc, exc_info=True)
            return False
        return True

    return send_pli


def on_state_change(connection: Connection, changed: Callable[[Connection], Any]) -> None:
    pc = connection.pc

    @pc.on("connectionstatechange")
    async def state_changed() -> None:
        state = pc.connectionState
        if state == "connected" and not connection.connected:
            connection.connected = True
            changed(connection)
        elif state in ("failed", "closed") and not connection.closed:
            await asyncio.shield(connection.close())
            changed(connection)
