"""Who may open which media connection, and the port the media plane is reached by (0022).

A participant opens a *receive* connection (every participant) and, when they may publish,
a *publish* connection. The command layer decides who they are (their ``Actor``) and that the
session is live; the SFU behind ``MediaPlane`` does the WebRTC. The port is synchronous: the
socket actions run in the gateway's worker threads, and the embedded SFU runs on an event
loop of its own (``media.plane``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID


class Purpose(StrEnum):
    RECEIVE = "receive"
    PUBLISH = "publish"


@dataclass(frozen=True)
class Peer:
    """One participant's connection of one purpose in one session."""

    room_id: UUID
    session: int
    email: str
    nickname: str
    presents: bool
    purpose: Purpose


class MediaPlane(Protocol):
    def negotiate(self, peer: Peer, offer_sdp: str) -> str:
        """Answer ``peer``'s offer (replacing any connection it had): the answer's SDP."""
        ...

    def add_candidate(self, peer: Peer, candidate: dict[str, Any] | None) -> None:
        """A trickled ICE candidate of ``peer``'s (``None``: no more candidates)."""
        ...

    def hang_up(self, peer: Peer) -> None:
        """Close ``peer``'s connection, if it has one."""
        ...
