"""A session's audio: its mode, who has the voice, who muted their microphone (decision 0016).

The four modes, as the help centre defines them:
- ``listen_only`` (the default): presenters speak, the audience listens;
- ``qa``: attendees file voice requests; a presenter gives the voice to one of them (or takes it
  back): one participant speaks at a time, giving it to another takes it from the first;
- ``discussion``: everyone may speak; only for small events (the command layer counts who is
  in: see ``commands.live.audio``); it makes the webinar a meeting (``meeting``), and only
  listen only makes it a webinar again;
- ``presenters_only``: presenters hear each other, participants hear nothing, and nothing is
  recorded (the recording reads ``ModeChanged``).

Changing the mode mutes every presenter but the one who changed it; they unmute themselves.
This stream is written at presenter speed (mode, voice, mutes); the many attendees' voice
requests are their own streams (``VoiceRequest``), so a burst of requests contends on nothing.
Fields named ``email`` are for presenters' eyes only (decision 0014); ``nickname`` is public.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import RuleViolationError
from domain.ids import derived_id


class Mode(StrEnum):
    LISTEN_ONLY = "listen_only"
    QA = "qa"
    DISCUSSION = "discussion"
    PRESENTERS_ONLY = "presenters_only"


class Audio(CheapCopy, Aggregate):
    """Session ``session`` of a room's audio; opened by its first audio command."""

    class Opened(Aggregate.Created):
        room_id: UUID
        session: int

    class ModeChanged(Aggregate.Event):
        """``mode`` set by ``email``/``nickname``; every other presenter is muted now, and any
        voice given in Q&A is taken back. ``meeting``: the room shows as a meeting."""

        mode: str
        meeting: bool
        email: str
        nickname: str
        at: datetime

    class MuteSet(Aggregate.Event):
        """``email``'s microphone muted or unmuted, by themselves or (muting) by a presenter."""

        email: str
        nickname: str
        muted: bool
        by_presenter: bool
        at: datetime

    class VoiceGiven(Aggregate.Event):
        """In Q&A, ``email`` speaks now (and whoever spoke before does not)."""

        email: str
        nickname: str
        at: datetime

    class VoiceTaken(Aggregate.Event):
        email: str
        nickname: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int) -> UUID:
        return Audio.id_for(room_id, session)

    @staticmethod
    def id_for(room_id: UUID, session: int) -> UUID:
        return derived_id("live-audio", f"{room_id}:{session}")

    @event(Opened)
    def __init__(self, room_id: UUID, session: int) -> None:
        self.room_id, self.session = room_id, session
        self.mode = Mode.LISTEN_ONLY
        self.meeting = False
        self.mode_by: str | None = None  # who last changed the mode: the one presenter unmuted
        self.mutes: dict[str, bool] = {}  # microphones set since the last mode change
        self.voice: str | None = None

    # -- the mode ------------------------------------------------------------------------

    def set_mode(self, mode: Mode, email: str, nickname: str, at: datetime) -> bool:
        """Change the mode; setting the mode it has changes nothing (no one is muted)."""
        if mode == self.mode:
            return False
        meeting = True if mode == Mode.DISCUSSION else self.meeting and mode != Mode.LISTEN_ONLY
        self._mode_changed(str(mode), meeting, email, nickname, at)
        return True

    @event(ModeChanged)
    def _mode_changed(
        self, mode: str, meeting: bool, email: str, nickname: str, at: datetime
    ) -> None:
        self.mode, self.meeting, self.mode_by = Mode(mode), meeting, email
        self.mutes = {}
        self.voice = None

    @property
    def recorded(self) -> bool:
        """Presenters-only talk is never recorded."""
        return self.mode != Mode.PRESENTERS_ONLY

    def hears(self, presents: bool) -> bool:
        """Participants hear nothing in presenters-only mode; presenters always hear."""
        return presents or self.mode != Mode.PRESENTERS_ONLY

    # -- microphones ---------------------------------------------------------------------

    def muted(self, email: str, presents: bool) -> bool:
        """Whether ``email``'s microphone is off: as they last set it since the mode changed;
        else a presenter's is off after someone else changed the mode, a participant's is on
        (whether it carries is ``may_speak``)."""
        if email in self.mutes:
            return self.mutes[email]
        return presents and self.mode_by is not None and self.mode_by != email

    def may_speak(self, email: str, presents: bool) -> bool:
        """Whether the mode lets ``email`` be heard at all (their microphone aside)."""
        if presents:
            return True
        if self.mode == Mode.DISCUSSION:
            return True
        return self.mode == Mode.QA and self.voice == email

    def set_muted(
        self,
        email: str,
        nickname: str,
        muted: bool,
        presents: bool,
        by_presenter: bool,
        at: datetime,
    ) -> bool:
        """Mute or unmute ``email``; a participant unmutes only when the mode lets them speak.
        Returns False when nothing changes."""
        if not muted and not self.may_speak(email, presents):
            raise RuleViolationError(
                f"in {self.mode} mode you cannot speak: ask a presenter for the voice in Q&A mode"
                if self.mode == Mode.QA
                else f"in {self.mode} mode participants cannot speak"
            )
        if self.muted(email, presents) == muted:
            return False
        self._mute_set(email, nickname, muted, by_presenter, at)
        return True

    @event(MuteSet)
    def _mute_set(
        self, email: str, nickname: str, muted: bool, by_presenter: bool, at: datetime
    ) -> None:
        self.mutes[email] = muted

    # -- the voice in Q&A ----------------------------------------------------------------

    def give_voice(self, email: str, nickname: str, at: datetime) -> bool:
        """Let ``email`` speak (Q&A only), taking the voice from whoever had it."""
        if self.mode != Mode.QA:
            raise RuleViolationError("the voice is given in Q&A mode: switch to qa first")
        if self.voice == email:
            return False
        self._voice_given(email, nickname, at)
        return True

    @event(VoiceGiven)
    def _voice_given(self, email: str, nickname: str, at: datetime) -> None:
        self.voice = email
        self.mutes.pop(email, None)  # a participant given the voice is heard at once

    def take_voice(self, email: str, nickname: str, at: datetime) -> bool:
        """Take the voice back from ``email``; False if they did not have it."""
        if self.voice != email:
            return False
        self._voice_taken(email, nickname, at)
        return True

    @event(VoiceTaken)
    def _voice_taken(self, email: str, nickname: str, at: datetime) -> None:
        self.voice = None


class VoiceRequest(CheapCopy, Aggregate):
    """One attendee asking for the voice in one session's Q&A: their own stream."""

    class Filed(Aggregate.Created):
        room_id: UUID
        session: int
        email: str
        nickname: str
        at: datetime

    class Withdrawn(Aggregate.Event):
        at: datetime

    class Refiled(Aggregate.Event):
        at: datetime

    class Granted(Aggregate.Event):
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int, email: str, nickname: str, at: datetime) -> UUID:
        return VoiceRequest.id_for(room_id, session, email)

    @staticmethod
    def id_for(room_id: UUID, session: int, email: str) -> UUID:
        return derived_id("voice-request", f"{room_id}:{session}:{email}")

    @event(Filed)
    def __init__(
        self, room_id: UUID, session: int, email: str, nickname: str, at: datetime
    ) -> None:
        self.room_id, self.session, self.email, self.nickname = room_id, session, email, nickname
        self.open = True

    def refile(self, at: datetime) -> bool:
        if self.open:
            return False
        self._refiled(at)
        return True

    @event(Refiled)
    def _refiled(self, at: datetime) -> None:
        self.open = True

    def withdraw(self, at: datetime) -> bool:
        if not self.open:
            return False
        self._withdrawn(at)
        return True

    @event(Withdrawn)
    def _withdrawn(self, at: datetime) -> None:
        self.open = False

    def grant(self, at: datetime) -> None:
        if self.open:
            self._granted(at)

    @event(Granted)
    def _granted(self, at: datetime) -> None:
        self.open = False
