"""A session's audio in the domain: mutes after a mode change, one voice in Q&A, who may speak."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.errors import RuleViolationError
from domain.live.audio import Audio, Mode, VoiceRequest
from tests.unit.factories import START

HOST, OTHER, ANN, BEN = "host@x.com", "other@x.com", "ann@x.com", "ben@x.com"


def test_a_mode_change_mutes_every_presenter_but_its_author_until_they_unmute() -> None:
    """Before any change presenters are unmuted; after one, only its author is."""
    audio = Audio(uuid4(), 1)
    assert not audio.muted(OTHER, presents=True)
    assert audio.set_mode(Mode.QA, HOST, "Host", START) is True
    assert (audio.muted(HOST, presents=True), audio.muted(OTHER, presents=True)) == (False, True)
    assert audio.set_muted(OTHER, "Other", False, True, False, START) is True
    assert not audio.muted(OTHER, presents=True)
    audio.set_mode(Mode.LISTEN_ONLY, OTHER, "Other", START)
    assert (audio.muted(HOST, presents=True), audio.muted(OTHER, presents=True)) == (True, False)


def test_setting_the_mode_it_has_changes_nothing() -> None:
    """No event, and nobody muted, when the mode stays."""
    audio = Audio(uuid4(), 1)
    assert audio.set_mode(Mode.LISTEN_ONLY, HOST, "Host", START) is False
    assert len(audio.collect_events()) == 1  # opened only


def test_in_qa_giving_the_voice_to_another_takes_it_from_the_first() -> None:
    """One participant speaks at a time; a mode change takes the voice back."""
    audio = Audio(uuid4(), 1)
    with pytest.raises(RuleViolationError, match="Q&A"):
        audio.give_voice(ANN, "Ann", START)
    audio.set_mode(Mode.QA, HOST, "Host", START)
    audio.give_voice(ANN, "Ann", START)
    assert audio.may_speak(ANN, presents=False)
    audio.give_voice(BEN, "Ben", START)
    assert (audio.may_speak(ANN, False), audio.may_speak(BEN, False)) == (False, True)
    audio.set_mode(Mode.DISCUSSION, HOST, "Host", START)
    assert audio.voice is None


def test_who_speaks_and_hears_in_each_mode() -> None:
    """Discussion lets everyone speak and makes a meeting; presenters only silences the
    audience and the recording; listen only turns the meeting back into a webinar."""
    audio = Audio(uuid4(), 1)
    assert not audio.may_speak(ANN, presents=False)
    with pytest.raises(RuleViolationError, match="cannot speak"):
        audio.set_muted(ANN, "Ann", False, False, False, START)
    audio.set_mode(Mode.DISCUSSION, HOST, "Host", START)
    assert audio.may_speak(ANN, presents=False)
    assert audio.meeting
    audio.set_mode(Mode.PRESENTERS_ONLY, HOST, "Host", START)
    assert (audio.hears(False), audio.hears(True), audio.recorded, audio.meeting) == (
        False,
        True,
        False,
        True,
    )
    audio.set_mode(Mode.LISTEN_ONLY, HOST, "Host", START)
    assert (audio.recorded, audio.meeting) == (True, False)


def test_a_voice_request_is_filed_withdrawn_refiled_and_granted_once() -> None:
    """Each change of heart is one event; a repeat changes nothing."""
    request = VoiceRequest(uuid4(), 1, ANN, "Ann", START)
    assert request.withdraw(START)
    assert not request.withdraw(START)
    assert request.refile(START)
    assert not request.refile(START)
    request.grant(START)
    request.grant(START)
    assert not request.open
    assert len(request.collect_events()) == 4  # filed, withdrawn, refiled, granted
