"""A session's audio modes over HTTP (decision 0016): listen only, Q&A with voice requests and
one voice at a time, discussion for small events, presenters only; mutes; who may do what."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.routes.live import ACTIONS
from commands.errors import PermissionDeniedError
from podium.bootstrap import Podium
from tests.e2e.helpers import Caller, Json, expect, head, paying_owner, problem, trial_owner
from tests.e2e.test_live_sessions import leave
from tests.e2e.test_session_lifecycle import act, attendance, enter, lobby_room


def audio(
    client: TestClient, room: Json, who: str | Caller, action: str = "", **body: Any
) -> Response:
    """GET the audio (no ``action``) or POST one of its actions, as a participant or the host."""
    headers = who.headers if isinstance(who, Caller) else attendance(who)
    path = f"/rooms/{room['room_id']}/audio" + (f"/{action}" if action else "")
    response: Response = (
        client.post(path, json=body, headers=headers)
        if action
        else client.get(path, headers=headers)
    )
    return response


def running(client: TestClient, owner: Caller) -> tuple[Json, str, str]:
    """A started room with two presenters in it: (room, first presenter, second presenter)."""
    room = lobby_room(client, owner)
    first = enter(client, room, "first@example.com", "presenter")
    second = enter(client, room, "second@example.com", "presenter")
    expect(act(client, room, first, "start"), 200)
    return room, first, second


def test_listen_only_is_the_default_and_a_mode_change_mutes_the_other_presenters(
    client: TestClient,
) -> None:
    """Listen only: presenters speak, an attendee may not. A presenter switching to Q&A stays
    unmuted while the other presenter is muted until they unmute themselves."""
    owner = trial_owner(client, "owner@example.com")
    room, first, second = running(client, owner)
    ann = enter(client, room, "ann@example.com")
    heard = expect(audio(client, room, ann), 200)
    assert (heard["mode"], heard["me"]) == (
        "listen_only",
        {"muted": False, "may_speak": False, "hears": True},
    )
    assert expect(audio(client, room, second), 200)["me"]["muted"] is False
    changed = expect(audio(client, room, first, "mode", mode="qa"), 200)
    assert (changed["mode"], changed["changed"], changed["me"]["muted"]) == ("qa", True, False)
    assert expect(audio(client, room, second), 200)["me"]["muted"] is True
    assert expect(audio(client, room, second, "mute", muted=False), 200)["me"]["muted"] is False
    again = expect(audio(client, room, first, "mode", mode="qa"), 200)
    assert again["changed"] is False
    assert expect(audio(client, room, second), 200)["me"]["muted"] is False  # same mode: no mute
    assert problem(audio(client, room, ann, "mute", muted=False), 409)["detail"].startswith(
        "in qa mode"
    )


def test_an_attendee_changing_the_mode_is_refused_and_nothing_is_written(
    client: TestClient, podium: Podium
) -> None:
    """A mode change by an attendee is a 403 saying only a host or presenter may; so is giving
    the voice or muting someone else."""
    owner = trial_owner(client, "owner@example.com")
    room, _, _ = running(client, owner)
    ann = enter(client, room, "ann@example.com")
    before = head(podium)
    refused = problem(audio(client, room, ann, "mode", mode="discussion"), 403)
    assert refused["detail"] == "only a host or presenter may change the audio mode"
    voice = audio(client, room, ann, "voice", email="ann@example.com")
    assert problem(voice, 403)["detail"] == "only a host or presenter may give or take the voice"
    other = audio(client, room, ann, "mute", muted=True, email="first@example.com")
    assert problem(other, 403)["detail"] == "only a host or presenter may mute someone else"
    assert head(podium) == before
    assert expect(audio(client, room, owner, "mode", mode="qa"), 200)["mode"] == "qa"  # the key


def test_in_qa_one_participant_speaks_at_a_time(client: TestClient) -> None:
    """Voice requests are for Q&A; a presenter gives the voice to Ann, then to Ben (Ann loses
    it), then takes it back: nobody speaks."""
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    ann, ben = enter(client, room, "ann@example.com"), enter(client, room, "ben@example.com")
    early = audio(client, room, ann, "voice-request")
    assert "Q&A mode" in problem(early, 409)["detail"]
    expect(audio(client, room, first, "mode", mode="qa"), 200)
    assert expect(audio(client, room, ann, "voice-request"), 200)["requested"] is True
    assert expect(audio(client, room, ann, "voice-request", filed=False), 200)["requested"] is False
    expect(audio(client, room, ann, "voice-request"), 200)
    given = expect(audio(client, room, first, "voice", email="ann@example.com"), 200)
    assert given["voice"] == "ann@example.com"
    assert expect(audio(client, room, ann), 200)["me"]["may_speak"] is True
    expect(audio(client, room, first, "voice", email="ben@example.com"), 200)
    assert (
        expect(audio(client, room, ann), 200)["me"]["may_speak"],
        expect(audio(client, room, ben), 200)["has_voice"],
    ) == (False, True)
    taken = expect(audio(client, room, first, "voice", email="ben@example.com", given=False), 200)
    assert taken["voice"] is None
    assert expect(audio(client, room, ben), 200)["me"]["may_speak"] is False


def test_discussion_is_refused_over_the_trials_five_attendees_and_turns_the_room_into_a_meeting(
    client: TestClient,
) -> None:
    """With 6 attendees in (the trial allows 5; presenters not counted) discussion is a 409
    that counts them; once one leaves it is allowed, everyone may speak and the room is a
    meeting; Q&A keeps it a meeting, listen only turns it back into a webinar."""
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    people = [enter(client, room, f"p{n}@example.com") for n in range(6)]
    refused = problem(audio(client, room, first, "mode", mode="discussion"), 409)["detail"]
    assert "up to 5 attendees; 6 are in the session" in refused
    leave(client, room, people[0])
    talk = expect(audio(client, room, first, "mode", mode="discussion"), 200)
    assert (talk["mode"], talk["meeting"]) == ("discussion", True)
    assert expect(audio(client, room, people[1]), 200)["me"]["may_speak"] is True
    assert expect(audio(client, room, first, "mode", mode="qa"), 200)["meeting"] is True
    assert expect(audio(client, room, first, "mode", mode="listen_only"), 200)["meeting"] is False


def test_discussion_is_refused_over_25_attendees_on_a_paid_plan(client: TestClient) -> None:
    """On a 50-attendee plan, 26 attendees in the session make discussion a 409; 25 do not."""
    owner = paying_owner(client, "owner@example.com", "live-50")
    room, first, _ = running(client, owner)
    people = [enter(client, room, f"p{n}@example.com") for n in range(26)]
    refused = problem(audio(client, room, first, "mode", mode="discussion"), 409)["detail"]
    assert "up to 25 attendees; 26 are in the session" in refused
    leave(client, room, people[-1])
    assert expect(audio(client, room, first, "mode", mode="discussion"), 200)["meeting"] is True


def test_in_presenters_only_participants_hear_nothing_and_nothing_is_recorded(
    client: TestClient, podium: Podium
) -> None:
    """Presenters only: an attendee hears nothing, the answer and the stored mode event say the
    audio is not recorded (the recording reads that event)."""
    owner = trial_owner(client, "owner@example.com")
    room, first, second = running(client, owner)
    ann = enter(client, room, "ann@example.com")
    private = expect(audio(client, room, first, "mode", mode="presenters_only"), 200)
    assert private["recorded"] is False
    assert expect(audio(client, room, ann), 200)["me"]["hears"] is False
    assert expect(audio(client, room, second), 200)["me"]["hears"] is True
    [changed] = [
        n
        for n in podium.store.recorder.select_notifications(0, 10_000)
        if n.topic.endswith("Audio.ModeChanged")
    ]
    assert b"presenters_only" in changed.state


def test_a_presenter_mutes_an_attendee_who_alone_unmutes_themselves(client: TestClient) -> None:
    """In discussion a presenter mutes Ann; unmuting her is hers alone (403 for the presenter);
    muting someone not in the session is a 404."""
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    ann = enter(client, room, "ann@example.com")
    expect(audio(client, room, first, "mode", mode="discussion"), 200)
    muted = expect(audio(client, room, first, "mute", muted=True, email="ann@example.com"), 200)
    assert muted["person"] == {"email": "ann@example.com", "muted": True}
    assert expect(audio(client, room, ann), 200)["me"]["muted"] is True
    unmute = audio(client, room, first, "mute", muted=False, email="ann@example.com")
    assert problem(unmute, 403)["detail"] == "only the person may unmute themselves"
    assert expect(audio(client, room, ann, "mute", muted=False), 200)["me"]["muted"] is False
    nobody = audio(client, room, first, "mute", muted=True, email="zed@example.com")
    assert "nobody with the email zed@example.com" in problem(nobody, 404)["detail"]


def test_bad_audio_input_is_refused_with_what_is_wrong(client: TestClient, podium: Podium) -> None:
    """An unknown mode, a missing or non-boolean flag, a bad email, an unknown field, audio
    before the start: each a clear 4xx, nothing appended."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    speaker = enter(client, room, "speaker@example.com", "presenter")
    before = head(podium)
    assert (
        "has not started" in problem(audio(client, room, speaker, "mode", mode="qa"), 409)["detail"]
    )
    expect(act(client, room, speaker, "start"), 200)
    enter(client, room, "ann@example.com")
    before = head(podium)
    bad: list[tuple[str, Json, str]] = [
        ("mode", {"mode": "karaoke"}, "mode"),
        ("mode", {}, "mode"),
        ("mute", {"muted": "sometimes"}, "muted"),
        ("mute", {"muted": True, "email": "nope"}, "email"),
        ("voice", {"email": "ann@example.com", "loud": True}, "loud"),
    ]
    for action, body, field in bad:
        assert field in str(problem(audio(client, room, speaker, action, **body), 422))
    voice = audio(client, room, speaker, "voice", email="ann@example.com")
    assert problem(voice, 409)["detail"].startswith("the voice is given in Q&A mode")
    assert head(podium) == before


def test_a_burst_of_voice_requests_contends_on_nothing(client: TestClient, podium: Podium) -> None:
    """Twenty attendees asking for the voice at once all succeed without a single save
    conflict: each request is its own stream."""
    owner = trial_owner(client, "owner@example.com")
    owner_room = lobby_room(client, owner)
    first = enter(client, owner_room, "first@example.com", "presenter")
    expect(act(client, owner_room, first, "start"), 200)
    expect(audio(client, owner_room, first, "mode", mode="qa"), 200)
    people = [enter(client, owner_room, f"a{n}@example.com") for n in range(20)]
    conflicts = podium.runner.conflicts
    ready = threading.Barrier(len(people))
    answers: list[int] = []

    def ask(credential: str) -> None:
        ready.wait()
        answers.append(audio(client, owner_room, credential, "voice-request").status_code)

    threads = [threading.Thread(target=ask, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 20
    assert podium.runner.conflicts == conflicts


def test_two_presenters_changing_the_mode_at_once_both_land_in_order(
    client: TestClient, podium: Podium
) -> None:
    """Racing mode changes collide on the session's audio stream and are retried: both are
    written, and the mode is the last one's."""
    owner = trial_owner(client, "owner@example.com")
    room, first, second = running(client, owner)
    ready = threading.Barrier(2)
    answers: list[Json] = []

    def change(credential: str, mode: str) -> None:
        ready.wait()
        answers.append(expect(audio(client, room, credential, "mode", mode=mode), 200))

    threads = [
        threading.Thread(target=change, args=(first, "qa")),
        threading.Thread(target=change, args=(second, "presenters_only")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(a["changed"] for a in answers)
    changes = [
        n
        for n in podium.store.recorder.select_notifications(0, 10_000)
        if n.topic.endswith("Audio.ModeChanged")
    ]
    assert len(changes) == 2
    last = b"qa" if b"qa" in changes[-1].state else b"presenters_only"
    assert expect(audio(client, room, first), 200)["mode"].encode() == last


def test_the_socket_runs_audio_actions_with_the_rest_rules(
    client: TestClient, podium: Podium
) -> None:
    """The ACTIONS table names the audio and session actions; running one as a listener is the
    same 403 refusal as over REST, and as a presenter the same answer."""
    assert {
        "audio.mode",
        "audio.mute",
        "audio.voice_request",
        "audio.voice",
        "session.lock",
    } <= set(ACTIONS)
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    ann = enter(client, room, "ann@example.com")
    action = ACTIONS["audio.mode"]
    frame = action.body.model_validate({"mode": "qa"})
    room_id = UUID(room["room_id"])
    with pytest.raises(PermissionDeniedError, match="only a host or presenter may change"):
        action.run(podium, ann, room_id, frame)
    assert action.run(podium, first, room_id, frame).body["mode"] == "qa"
