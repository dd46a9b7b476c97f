"""Recording control over HTTP (issue 8 section 4): REC and stop, who may, one recording when
two press at once, the language a recording keeps, auto-start, and the allowance (decision 0021).

The policy runner is driven by hand (``react(podium)``), as ``podium serve``'s
thread would.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.routes.live import ACTIONS
from api.routes.live.recording import snapshot
from commands.errors import PermissionDeniedError
from commands.unit_of_work import UnitOfWork
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import (
    Caller,
    Json,
    add_card,
    expect,
    head,
    problem,
    subscribe,
    trial_owner,
)
from tests.e2e.rooms import join, query_of, schedule
from tests.e2e.test_live_sessions import end, start

ALLOWANCE_UP = "recording allowance is used up"


def react(podium: Podium) -> None:
    """The policy runner's rounds until it has nothing left to react to (a reaction may cause
    another: the end stops a recording, the stop is counted), then the read models."""
    while podium.policies.catch_up():
        pass
    podium.projector.catch_up()


def open_room(client: TestClient, owner: Caller, **fields: Any) -> Json:
    return schedule(client, owner, permanent=True, starts_at=None, attendee_limit=20, **fields)


def presenter(client: TestClient, room: Json, email: str) -> str:
    """A presenter let in by the room's presenter link; their attendance credential."""
    role = query_of(room["role_links"]["presenter"])["role"]
    return str(expect(join(client, room, email, role_hash=role), 200)["credential"])


def listener(client: TestClient, room: Json, email: str) -> str:
    return str(expect(join(client, room, email), 200)["credential"])


def as_attendee(credential: str) -> dict[str, str]:
    return {"Podium-Attendance": credential}


def press(client: TestClient, room: Json, what: str, headers: dict[str, str]) -> Response:
    """REC (``start``) or stop, pressed by whoever ``headers`` name."""
    response: Response = client.post(f"/rooms/{room['room_id']}/recording/{what}", headers=headers)
    return response


def recordings(client: TestClient, owner: Caller, room: Json, **query: int) -> list[Json]:
    path = f"/rooms/{room['room_id']}/recordings"
    listed: list[Json] = expect(client.get(path, params=query, headers=owner.headers), 200)[
        "recordings"
    ]
    return listed


def set_language(client: TestClient, room: Json, headers: dict[str, str], language: str) -> Json:
    path = f"/rooms/{room['room_id']}/live-settings"
    return expect(client.patch(path, json={"language": language}, headers=headers), 200)


def usage(client: TestClient, owner: Caller) -> Json:
    return expect(client.get("/account/recording", headers=owner.headers), 200)


def test_a_presenter_starts_and_stops_a_recording_and_the_read_model_keeps_it(
    client: TestClient, clock: ManualClock
) -> None:
    """REC then stop after 12 minutes: one recording of session 1, 720 s long, started and
    stopped by the presenter, in the default language."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    speaker = as_attendee(presenter(client, room, "speaker@example.com"))
    started = expect(press(client, room, "start", speaker), 200)
    assert (started["recording"], started["started"], started["session"]) == (True, True, 1)
    assert started["current"]["started_by"] == "speaker@example.com"
    clock.advance(timedelta(minutes=12))
    stopped = expect(press(client, room, "stop", speaker), 200)
    assert (stopped["recording"], stopped["stopped"]) == (False, True)
    audience = as_attendee(listener(client, room, "ann@example.com"))
    seen = expect(client.get(f"/rooms/{room['room_id']}/recording", headers=audience), 200)
    assert (seen["recording"], seen["current"]["number"]) == (False, 1)
    assert "started_by" not in seen["current"]  # a presenter's email: presenters only
    [row] = recordings(client, owner, room)
    assert (row["session"], row["number"], row["seconds"], row["language"]) == (1, 1, 720, "en")
    assert (row["running"], row["stop_reason"], row["not_recorded"]) == (False, "stopped", [])
    assert row["stopped_at"] is not None


def test_a_listener_may_not_press_rec_and_is_told_why(client: TestClient, podium: Podium) -> None:
    """A listener's REC and stop are 403s saying only a host or presenter may; nothing is
    appended."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    audience = as_attendee(listener(client, room, "ann@example.com"))
    before = head(podium)
    refused = problem(press(client, room, "start", audience), 403)
    assert "only a host or presenter may start recording" in refused["detail"]
    assert "stop recording" in problem(press(client, room, "stop", audience), 403)["detail"]
    assert head(podium) == before


def test_the_host_records_with_the_accounts_key_but_not_before_the_event_starts(
    client: TestClient,
) -> None:
    """The owner's API key acts as the room's host; before the start REC is a 409 that says
    the event has not started."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    assert "not started" in problem(press(client, room, "start", owner.headers), 409)["detail"]
    start(client, owner, room)
    assert expect(press(client, room, "start", owner.headers), 200)["recording"] is True
    again = expect(press(client, room, "start", owner.headers), 200)
    assert (again["started"], again["current"]["number"]) == (False, 1)


def test_two_presenters_pressing_rec_at_once_make_one_recording(
    client: TestClient, podium: Podium
) -> None:
    """Both presses succeed, both answer recording number 1, and the session has one
    recording (the loser was retried and found it running)."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    first = as_attendee(presenter(client, room, "p1@example.com"))
    second = as_attendee(presenter(client, room, "p2@example.com"))
    barrier = threading.Barrier(2)
    answers: list[Json] = []

    def rec(headers: dict[str, str]) -> None:
        barrier.wait()
        answers.append(expect(press(client, room, "start", headers), 200))

    threads = [threading.Thread(target=rec, args=(h,)) for h in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a["current"]["number"] for a in answers] == [1, 1]
    assert sorted(a["started"] for a in answers) == [False, True]
    assert len(recordings(client, owner, room)) == 1


def test_a_recording_keeps_the_language_it_started_in(client: TestClient) -> None:
    """Polish when REC is pressed; changing to German while it runs leaves it Polish; the next
    recording starts in German."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    speaker = as_attendee(presenter(client, room, "speaker@example.com"))
    assert set_language(client, room, speaker, "pl")["language"] == "pl"
    assert expect(press(client, room, "start", speaker), 200)["current"]["language"] == "pl"
    changed = set_language(client, room, speaker, "de")
    assert (changed["language"], changed["changed"]) == ("de", ["language"])
    running = expect(client.get(f"/rooms/{room['room_id']}/recording", headers=speaker), 200)
    assert running["current"]["language"] == "pl"
    expect(press(client, room, "stop", speaker), 200)
    assert expect(press(client, room, "start", speaker), 200)["current"]["language"] == "de"
    assert [r["language"] for r in recordings(client, owner, room)] == ["pl", "de"]


def test_an_event_with_auto_start_records_from_its_start_once(
    client: TestClient, podium: Podium
) -> None:
    """``recorder_autostart``: the start makes the policy press REC; a replayed runner appends
    nothing and there is still one recording."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner, recorder_autostart=True)
    start(client, owner, room)
    react(podium)
    [row] = recordings(client, owner, room)
    assert (row["autostart"], row["started_by"], row["running"]) == (True, "autostart", True)
    before = head(podium)
    for policy in podium.policies.policies:
        podium.policies.rewind(policy.name, 0)
    react(podium)
    assert head(podium) == before
    assert len(recordings(client, owner, room)) == 1


def test_the_accounts_default_auto_starts_every_event_and_off_stops_doing_so(
    client: TestClient, podium: Podium
) -> None:
    """``PUT /account/recording {"autostart": true}``: a room without its own auto-start is
    recorded from its start; with the default off again, the next session is not."""
    owner = trial_owner(client, "owner@example.com")
    put = client.put("/account/recording", json={"autostart": True}, headers=owner.headers)
    assert expect(put, 200)["autostart"] is True
    assert usage(client, owner)["autostart"] is True
    room = open_room(client, owner)
    start(client, owner, room)
    react(podium)
    assert [r["session"] for r in recordings(client, owner, room)] == [1]
    end(client, owner, room)
    put = client.put("/account/recording", json={"autostart": False}, headers=owner.headers)
    expect(put, 200)
    start(client, owner, room)
    react(podium)
    assert recordings(client, owner, room, session=2) == []


def test_a_recording_runs_until_the_event_ends_and_then_stops_with_it(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Past the trial's 30-minute allowance the recording goes on; the session's end stops it
    (``session_ended``) and its 40 minutes count against the allowance."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    expect(press(client, room, "start", owner.headers), 200)
    clock.advance(timedelta(minutes=40))
    state = expect(client.get(f"/rooms/{room['room_id']}/recording", headers=owner.headers), 200)
    assert state["recording"] is True
    end(client, owner, room)
    react(podium)
    [row] = recordings(client, owner, room)
    assert (row["stop_reason"], row["seconds"], row["stopped_by"]) == (
        "session_ended",
        2400,
        "podium",
    )
    used = usage(client, owner)
    assert (used["allowance_minutes"], used["used_minutes"], used["used_up"]) == (30, 40, True)
    assert used["left_minutes"] == 0


def test_once_the_allowance_is_used_up_no_new_recording_starts(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """After 31 recorded minutes on the trial (30 allowed), REC is a 409 that says why, and an
    auto-starting event's next session runs unrecorded."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner, recorder_autostart=True)
    start(client, owner, room)
    react(podium)  # auto-start: recording 1 runs
    clock.advance(timedelta(minutes=31))
    expect(press(client, room, "stop", owner.headers), 200)
    react(podium)  # counts its 31 minutes
    assert usage(client, owner)["used_seconds"] == 31 * 60
    refused = problem(press(client, room, "start", owner.headers), 409)
    assert ALLOWANCE_UP in refused["detail"]
    assert "31 of 30 minutes" in refused["detail"]
    end(client, owner, room)
    start(client, owner, room)
    react(podium)
    assert recordings(client, owner, room, session=2) == []
    assert [r["number"] for r in recordings(client, owner, room)] == [1]


def test_minutes_under_the_allowance_leave_room_for_another_recording(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Two recordings of 10 and 15 minutes: 25 of 30 used, and a third may start."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    for minutes in (10, 15):
        expect(press(client, room, "start", owner.headers), 200)
        clock.advance(timedelta(minutes=minutes))
        expect(press(client, room, "stop", owner.headers), 200)
        react(podium)
    assert (usage(client, owner)["used_minutes"], usage(client, owner)["left_minutes"]) == (25, 5)
    assert expect(press(client, room, "start", owner.headers), 200)["current"]["number"] == 3


def test_counting_a_stopped_recording_twice_counts_it_once(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A rewound runner reacts to the stop again: the allowance still holds its minutes once."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    expect(press(client, room, "start", owner.headers), 200)
    clock.advance(timedelta(minutes=5))
    expect(press(client, room, "stop", owner.headers), 200)
    react(podium)
    podium.policies.rewind("count_recording", 0)
    react(podium)
    assert usage(client, owner)["used_seconds"] == 300


def test_the_rec_action_is_in_the_socket_table_with_the_same_rules(
    client: TestClient, podium: Podium
) -> None:
    """``recording.start`` over the socket's action table starts the same recording REST
    shows; a listener's is refused the same way."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    action = ACTIONS["recording.start"]
    speaker = presenter(client, room, "speaker@example.com")
    result = action.run(podium, speaker, UUID(room["room_id"]), action.body())
    assert result.body["recording"] is True
    podium.projector.catch_up()
    assert len(recordings(client, owner, room)) == 1
    audience = listener(client, room, "ann@example.com")
    with pytest.raises(PermissionDeniedError, match="start recording"):
        action.run(podium, audience, UUID(room["room_id"]), action.body())


def test_presenters_only_periods_show_as_not_recorded_in_the_recordings_list(
    client: TestClient, clock: ManualClock
) -> None:
    """While recording, 5 minutes in presenters-only mode (``POST .../audio/mode``) are listed
    as not recorded; the recording's length stays REC to stop, and a presenters-only period
    before REC cuts nothing."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    set_mode(client, owner, room, "presenters_only")
    clock.advance(timedelta(minutes=4))
    set_mode(client, owner, room, "listen_only")
    expect(press(client, room, "start", owner.headers), 200)
    clock.advance(timedelta(minutes=2))
    set_mode(client, owner, room, "presenters_only")
    clock.advance(timedelta(minutes=5))
    set_mode(client, owner, room, "qa")
    clock.advance(timedelta(minutes=3))
    expect(press(client, room, "stop", owner.headers), 200)
    [row] = recordings(client, owner, room, session=1)
    assert row["seconds"] == 600
    [cut] = row["not_recorded"]
    assert (cut["seconds"], cut["why"]) == (300, "presenters_only")
    assert cut["from"] == (clock.now() - timedelta(minutes=8)).isoformat()
    assert cut["until"] == (clock.now() - timedelta(minutes=3)).isoformat()


def test_a_recording_still_in_presenters_only_mode_shows_an_open_period(
    client: TestClient, clock: ManualClock
) -> None:
    """REC pressed while presenters only: the running recording is not recorded from its
    start, and the period has no end yet."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    set_mode(client, owner, room, "presenters_only")
    expect(press(client, room, "start", owner.headers), 200)
    clock.advance(timedelta(minutes=1))
    [row] = recordings(client, owner, room)
    [cut] = row["not_recorded"]
    assert (row["running"], cut["until"], cut["seconds"]) == (True, None, 60)


def set_mode(client: TestClient, owner: Caller, room: Json, mode: str) -> None:
    path = f"/rooms/{room['room_id']}/audio/mode"
    expect(client.post(path, json={"mode": mode}, headers=owner.headers), 200)


def test_the_room_snapshot_shows_the_recording_and_the_language_without_emails_to_listeners(
    client: TestClient, podium: Podium
) -> None:
    """The gateway's snapshot hook: a presenter sees who pressed REC, a listener sees that the
    session records and in which language, but no email."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    speaker = presenter(client, room, "speaker@example.com")
    audience = listener(client, room, "ann@example.com")
    set_language(client, room, as_attendee(speaker), "fr")
    expect(press(client, room, "start", as_attendee(speaker)), 200)
    room_id = UUID(room["room_id"])
    unit = UnitOfWork(podium.store, podium.clock.now(), payment_key="")
    for credential, sees_email in ((speaker, True), (audience, False)):
        actor = podium.actors.participant(unit, room_id, credential)
        part = snapshot(podium, room_id, 1, actor)
        assert (part["language"], part["recording"]["on"]) == ("fr", True)
        [row] = part["recording"]["recordings"]
        assert ("started_by" in row) is sees_email


def test_a_larger_plan_gives_room_for_new_recordings_again(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """The trial's 30 minutes used up, REC is refused; after subscribing to Live 25 (360
    minutes) it starts again, and the usage shows the new allowance."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    expect(press(client, room, "start", owner.headers), 200)
    clock.advance(timedelta(minutes=30))
    expect(press(client, room, "stop", owner.headers), 200)
    react(podium)
    assert ALLOWANCE_UP in problem(press(client, room, "start", owner.headers), 409)["detail"]
    add_card(client, owner)
    subscribe(client, owner, "live-25")
    assert expect(press(client, room, "start", owner.headers), 200)["started"] is True
    used = usage(client, owner)
    assert (used["allowance_minutes"], used["left_minutes"], used["used_up"]) == (360, 330, False)
