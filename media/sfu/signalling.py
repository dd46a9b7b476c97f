"""What a client may offer the SFU, its trickled candidates, and the SFU's errors.

Error tree (each a ``MediaError``; the first two are also ``ValueError``: the caller's input):
- ``OfferError``: an offer that is not SDP, or not what its purpose allows;
- ``CandidateError``: a trickled candidate that cannot be read;
- ``UnknownPeerError`` (``LookupError``): a candidate for a peer with no connection;
- ``SessionEndedError``: an offer for a session the graph said has ended.
- ``SupersededError``: a newer offer for the same connection replaced this one mid-answer.
"""

from __future__ import annotations

from typing import Any

from aiortc import RTCIceCandidate, RTCRtpSender
from aiortc.rtcrtpparameters import RTCRtpCodecCapability
from aiortc.sdp import SessionDescription, candidate_from_sdp

from commands.live.media import Purpose

MAX_VIDEO_SLOTS = 7  # the most camera feeds a plan allows (decision 0022 §2)
MAX_AUDIO_SLOTS = 8
MAX_OFFER_BYTES = 64 * 1024
MAX_CANDIDATE_CHARS = 1024
# Forwarding without transcoding means every publisher and subscriber of a session use one
# codec per kind: the SFU forces these (VP8 by default; H264 when configured).
VIDEO_CODECS = ("VP8", "H264")


class MediaError(Exception):
    """Raised by the SFU for what a caller asked of it."""


class OfferError(MediaError, ValueError):
    pass


class CandidateError(MediaError, ValueError):
    pass


class UnknownPeerError(MediaError, LookupError):
    pass


class SessionEndedError(MediaError):
    pass


class SupersededError(MediaError):
    """A newer offer for the same connection came while this one was answered: the newer one
    stands (two tabs of one person racing, or a page re-offering)."""


def read_offer(sdp: str, purpose: Purpose, video_codec: str) -> tuple[str, ...]:
    """The kinds of the offer's m-lines, in order, once the offer is known acceptable."""
    if len(sdp) > MAX_OFFER_BYTES:
        raise OfferError(f"offer is {len(sdp)} bytes; at most {MAX_OFFER_BYTES}")
    try:
        description = SessionDescription.parse(sdp)
    except Exception as error:  # aiortc's parser raises whatever it trips on
        raise OfferError(f"offer is not valid SDP: {error}") from None
    media = description.media
    if not media:
        raise OfferError("offer has no media")
    wanted = "recvonly" if purpose is Purpose.RECEIVE else "sendonly"
    kinds: list[str] = []
    for index, line in enumerate(media):
        if line.kind not in ("audio", "video"):
            raise OfferError(f"m-line {index} is {line.kind}; only audio and video are taken")
        if line.direction != wanted:
            raise OfferError(
                f"m-line {index} is {line.direction}; a {purpose} connection offers {wanted}"
            )
        codec = video_codec if line.kind == "video" else "opus"
        if not any(c.name.lower() == codec.lower() for c in line.rtp.codecs):
            raise OfferError(f"m-line {index} does not offer {codec}")
        kinds.append(line.kind)
    videos, audios = kinds.count("video"), kinds.count("audio")
    if purpose is Purpose.RECEIVE:
        if videos > MAX_VIDEO_SLOTS or audios > MAX_AUDIO_SLOTS:
            raise OfferError(
                f"offer has {videos} video and {audios} audio slots; "
                f"at most {MAX_VIDEO_SLOTS} and {MAX_AUDIO_SLOTS}"
            )
    elif videos > 1 or audios > 1:
        raise OfferError("a publish connection sends at most one audio and one video track")
    return tuple(kinds)


def codec_preferences(kind: str, video_codec: str) -> list[RTCRtpCodecCapability]:
    """The one codec of ``kind`` the SFU forwards (and RTX for video, for NACK answers)."""
    name = f"video/{video_codec}" if kind == "video" else "audio/opus"
    capabilities = RTCRtpSender.getCapabilities(kind).codecs
    chosen = [c for c in capabilities if c.mimeType.lower() == name.lower()]
    if kind == "video" and video_codec == "H264":
        # Constrained baseline (42e01f, what browsers send) first, then baseline: one
        # bitstream either way, so a slot may forward what a publisher sent under the other.
        chosen.sort(key=lambda c: c.parameters.get("profile-level-id") != "42e01f")
    rtx = [c for c in capabilities if c.mimeType.lower() == f"{kind}/rtx"]
    return chosen + rtx


def read_candidate(candidate: dict[str, Any] | None) -> RTCIceCandidate | None:
    """A browser's trickled candidate (``RTCIceCandidate.toJSON()``); ``None`` or an empty
    ``candidate`` string: the end of candidates."""
    if candidate is None:
        return None
    if not isinstance(candidate, dict):
        raise CandidateError("a candidate is an object")
    text = candidate.get("candidate")
    if not isinstance(text, str) or len(text) > MAX_CANDIDATE_CHARS:
        raise CandidateError("candidate.candidate must be a string of at most 1024 characters")
    if text == "":
        return None
    mid = candidate.get("sdpMid")
    index = candidate.get("sdpMLineIndex")
    if mid is not None and not isinstance(mid, str):
        raise CandidateError("sdpMid must be a string")
    if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
        raise CandidateError("sdpMLineIndex must be an integer")
    if mid is None and index is None:
        raise CandidateError("a candidate needs sdpMid or sdpMLineIndex")
    body = text.removeprefix("candidate:")
    try:
        parsed = candidate_from_sdp(body)
    except (AssertionError, ValueError, IndexError):
        raise CandidateError(f"unreadable candidate: {text[:80]!r}") from None
    parsed.sdpMid = mid
    parsed.sdpMLineIndex = index
    return parsed
