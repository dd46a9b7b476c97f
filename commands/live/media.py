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

from commands.errors import PermissionDeniedError
from commands.live.actors import Actor, Actors, Caller, live_session
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.errors import InvalidRequestError, RuleViolationError
from domain.live.audio import Audio, Mode
from domain.live.cameras import CameraFeeds


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


class BadOfferError(InvalidRequestError):
    """An offer or candidate the SFU cannot read (the API answers 400 with the reason)."""


class MediaUnavailableError(RuleViolationError):
    """No media plane answers here (off, or its process is not reachable): 503."""


def may_publish(audio: Audio | None, actor: Actor) -> bool:
    """Whether ``actor`` may speak, so publish: the audio rules' ``may_speak`` (a presenter or
    host; in Q&A the participant given the voice; in discussion everyone). An attendee with a
    camera feed on may publish too (``MediaControl`` checks that beside this)."""
    if actor.presents:
        return True
    return audio is not None and audio.may_speak(actor.email, actor.presents)


class MediaControl:
    """Who may open which media connection; the connections themselves are the plane's."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner, self.actors = runner, actors
        self.plane: MediaPlane | None = None  # attached once the process starts one

    def _peer(self, room_id: UUID, caller: Caller, purpose: Purpose) -> tuple[Peer, MediaPlane]:
        unit = UnitOfWork(self.runner.store, self.runner.clock.now(), "")
        actor = self.actors.resolve(unit, room_id, caller)
        live_session(unit, actor)
        if purpose == Purpose.PUBLISH:
            audio = unit.find(Audio, Audio.id_for(room_id, actor.session))
            feeds = unit.find(CameraFeeds, CameraFeeds.id_for(room_id, actor.session))
            on_camera = feeds is not None and actor.email in feeds.in_use
            if not (may_publish(audio, actor) or on_camera):
                mode = audio.mode if audio is not None else Mode.LISTEN_ONLY
                raise PermissionDeniedError(
                    f"in {mode} mode you may listen and watch, not publish: a presenter gives "
                    "you the voice in Q&A mode, or asks you on camera"
                )
        if self.plane is None:
            raise MediaUnavailableError("audio and video are off here (PODIUM_MEDIA=off)")
        peer = Peer(room_id, actor.session, actor.email, actor.nickname, actor.presents, purpose)
        return peer, self.plane

    def offer(self, room_id: UUID, caller: Caller, purpose: Purpose, sdp: str) -> Result:
        """Answer the caller's offer for a ``purpose`` connection: ``{"type": "answer", "sdp"}``."""
        peer, plane = self._peer(room_id, caller, purpose)
        answer = plane.negotiate(peer, sdp)
        return Result(Outcome.DONE, {"type": "answer", "sdp": answer, "purpose": str(purpose)})

    def candidate(
        self, room_id: UUID, caller: Caller, purpose: Purpose, candidate: dict[str, Any] | None
    ) -> Result:
        """A trickled ICE candidate of the caller's ``purpose`` connection (None: the last)."""
        peer, plane = self._peer(room_id, caller, purpose)
        plane.add_candidate(peer, candidate)
        return Result(Outcome.DONE, {"purpose": str(purpose)})

    def hang_up(self, room_id: UUID, caller: Caller, purpose: Purpose) -> Result:
        """Close the caller's ``purpose`` connection (nothing happens if there is none)."""
        unit = UnitOfWork(self.runner.store, self.runner.clock.now(), "")
        actor = self.actors.resolve(unit, room_id, caller)
        if self.plane is not None:
            self.plane.hang_up(
                Peer(room_id, actor.session, actor.email, actor.nickname, actor.presents, purpose)
            )
        return Result(Outcome.DONE, {"purpose": str(purpose)})

    def gone(self, room_id: UUID, session: int, email: str) -> None:
        """The person left the room (their last socket, after the grace): hang up both their
        connections."""
        if self.plane is None:
            return
        for purpose in Purpose:
            self.plane.hang_up(Peer(room_id, session, email, email, False, purpose))
