"""A session's audio over commands: the mode, mutes, voice requests and the voice (decision 0016).

Only a host or presenter changes the mode, gives or takes the voice, or mutes someone else;
anyone mutes or unmutes themselves (a participant unmutes only when the mode lets them speak).
Discussion is for small events: the number counted is the *listeners present in the session
now* (hosts and presenters not counted; the admissions read model, brought up to the log's head,
see ``projections.rooms.headcount``), at most 25, and at most the plan's meeting size (5 on the
trial). Presenters' seats are the join's (the plan's presenter limit); no mode makes anyone a
presenter, so no mode can exceed it.
"""

from __future__ import annotations

from typing import Any, Protocol
from uuid import UUID

from commands.errors import ConflictError, PermissionDeniedError
from commands.live.actors import Actor, Actors, Caller, live_session, require_presenter
from commands.rooms import account_limits
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.access import Role
from domain.admission import Admission
from domain.errors import (
    InvalidRequestError,
    LimitExceededError,
    NotFoundError,
    RuleViolationError,
)
from domain.live.audio import Audio, Mode, VoiceRequest
from domain.room import MEETING_MAX_ATTENDEES, Room

MODES = ", ".join(str(m) for m in Mode)


class Headcount(Protocol):
    """Who is in a session: the present listeners, or None when that cannot be known now."""

    def listeners(self, room_id: UUID, session: int) -> int | None: ...


def parse_mode(mode: str) -> Mode:
    try:
        return Mode(mode)
    except ValueError:
        raise InvalidRequestError(f"mode must be one of {MODES}") from None


def audio_of(unit: UnitOfWork, actor: Actor) -> Audio:
    """The actor's session's audio (opened on first use); the session must be running."""
    live_session(unit, actor)
    audio = unit.find(Audio, Audio.id_for(actor.room_id, actor.session))
    return audio or unit.add(Audio(actor.room_id, actor.session))


def person(unit: UnitOfWork, actor: Actor, email: str) -> Admission:
    """Someone present in the actor's session, by email."""
    found = unit.find(Admission, Admission.id_for(actor.room_id, actor.session, email))
    if found is None or not found.present:
        raise NotFoundError(f"nobody with the email {email} is in this session")
    return found


def audio_answer(audio: Audio | None, actor: Actor, **more: Any) -> Result:
    """The audio as ``actor`` sees it: the mode, who has the voice, their own microphone."""
    mode = audio.mode if audio is not None else Mode.LISTEN_ONLY
    presents = actor.presents
    body: dict[str, Any] = {
        "room_id": str(actor.room_id),
        "session": actor.session,
        "mode": str(mode),
        "meeting": audio is not None and audio.meeting,
        "recorded": mode != Mode.PRESENTERS_ONLY,
        "has_voice": audio is not None and audio.voice == actor.email,
        "me": {
            "muted": audio is not None and audio.muted(actor.email, presents),
            "may_speak": presents or (audio is not None and audio.may_speak(actor.email, False)),
            "hears": presents or mode != Mode.PRESENTERS_ONLY,
        },
    }
    if presents:
        body["voice"] = audio.voice if audio is not None else None
    return Result(Outcome.DONE, body | more)


class AudioControl:
    """The audio commands of a live room."""

    def __init__(self, runner: CommandRunner, actors: Actors, headcount: Headcount) -> None:
        self.runner, self.actors, self.headcount = runner, actors, headcount

    def state(self, caller: Caller, room_id: UUID) -> Result:
        """The session's audio as the caller sees it (listen only until someone changes it)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            return audio_answer(unit.find(Audio, Audio.id_for(room_id, actor.session)), actor)

        return self.runner.run(command)

    def set_mode(self, caller: Caller, room_id: UUID, mode: str) -> Result:
        """Change the mode (a host or presenter): every other presenter is muted."""
        wanted = parse_mode(mode)

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "change the audio mode")
            audio = audio_of(unit, actor)
            if wanted == Mode.DISCUSSION and audio.mode != Mode.DISCUSSION:
                self._check_discussion(unit, actor)
            changed = audio.set_mode(wanted, actor.email, actor.nickname, unit.now)
            return audio_answer(audio, actor, changed=changed)

        return self.runner.run(command)

    def _check_discussion(self, unit: UnitOfWork, actor: Actor) -> None:
        room = unit.get(Room, actor.room_id, "room")
        limit = min(
            MEETING_MAX_ATTENDEES, account_limits(unit, room.account_id).max_meeting_attendees
        )
        present = self.headcount.listeners(actor.room_id, actor.session)
        if present is None:
            raise ConflictError("who is in the session cannot be counted right now; try again")
        if present > limit:
            raise LimitExceededError(
                f"discussion mode is for events of up to {limit} attendees; {present} are in "
                "the session (hosts and presenters not counted)"
            )

    def mute(self, caller: Caller, room_id: UUID, person_email: str | None, muted: bool) -> Result:
        """Mute or unmute a microphone: your own (anyone), or mute someone else's (a host or
        presenter; only the person may unmute themselves)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            email = (person_email or actor.email).strip().lower()
            audio = audio_of(unit, actor)
            if email == actor.email:
                presents, by_presenter, nickname = actor.presents, False, actor.nickname
            else:
                require_presenter(actor, "mute someone else")
                if not muted:
                    raise PermissionDeniedError("only the person may unmute themselves")
                admission = person(unit, actor, email)
                presents = Role(admission.role) != Role.LISTENER
                nickname, by_presenter = admission.nickname, True
            changed = audio.set_muted(email, nickname, muted, presents, by_presenter, unit.now)
            return audio_answer(
                audio, actor, changed=changed, person={"email": email, "muted": muted}
            )

        return self.runner.run(command)

    def request_voice(self, caller: Caller, room_id: UUID, filed: bool) -> Result:
        """File (or withdraw) your voice request in Q&A mode: your own stream, so a hundred
        attendees asking at once contend on nothing."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            live_session(unit, actor)
            if actor.presents:
                raise InvalidRequestError("presenters speak without asking")
            audio = unit.find(Audio, Audio.id_for(room_id, actor.session))
            if filed and (audio is None or audio.mode != Mode.QA):
                raise RuleViolationError("voice requests are for Q&A mode: wait for a presenter")
            request_id = VoiceRequest.id_for(room_id, actor.session, actor.email)
            request = unit.find(VoiceRequest, request_id)
            if request is None and filed:
                request = unit.add(
                    VoiceRequest(room_id, actor.session, actor.email, actor.nickname, unit.now)
                )
            elif request is not None:
                (request.refile if filed else request.withdraw)(unit.now)
            return audio_answer(audio, actor, requested=request is not None and request.open)

        return self.runner.run(command)

    def give_voice(self, caller: Caller, room_id: UUID, person_email: str, given: bool) -> Result:
        """Give the voice to a participant in Q&A (taking it from whoever had it), or take it
        back (a host or presenter)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "give or take the voice")
            audio = audio_of(unit, actor)
            admission = person(unit, actor, person_email.strip().lower())
            if Role(admission.role) != Role.LISTENER:
                raise InvalidRequestError("presenters have their voice already")
            email, nickname = admission.email, admission.nickname
            if given:
                changed = audio.give_voice(email, nickname, unit.now)
                request = unit.find(
                    VoiceRequest, VoiceRequest.id_for(room_id, actor.session, email)
                )
                if request is not None:
                    request.grant(unit.now)
            else:
                changed = audio.take_voice(email, nickname, unit.now)
            return audio_answer(audio, actor, changed=changed)

        return self.runner.run(command)
