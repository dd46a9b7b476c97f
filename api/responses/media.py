"""Answers about a participant's media connections (decision 0024)."""

from __future__ import annotations

from typing import Literal

from api.responses.base import Answer


class MediaConnection(Answer):
    """Which of your connections the call was about: ``receive`` or ``publish``."""

    purpose: Literal["receive", "publish"]


class MediaAnswer(MediaConnection):
    """The SFU's answer to your offer: set it as the remote description."""

    type: Literal["answer"]
    sdp: str


class IceServer(Answer):
    """One STUN or TURN server, as a browser's ``RTCIceServer`` takes it."""

    urls: str | list[str]
    username: str | None = None
    credential: str | None = None


class IceServers(Answer):
    """The ICE servers to give ``RTCPeerConnection`` (empty: host candidates only, a LAN)."""

    ice_servers: list[IceServer]
