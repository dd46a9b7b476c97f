"""A session's life over HTTP (decision 0016): presenters start it, attendees wait in the lobby,
the host exits or ends it for all, the session is locked and unlocked, people are invited from
inside, and a session left empty ends by itself after its grace period."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from podium.bootstrap import Podium, bootstrap
from podium.clock import ManualClock
from podium.mail import SmtpTransport
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner
from tests.e2e.rooms import join, mail_to, query_of, schedule, text
from tests.e2e.test_live_sessions import leave, sessions
from tests.integration.smtp import SmtpServer
from workers.mailer import deliver_due

THANKS = "https://example.com/thanks"


def attendance(credential: str) -> dict[str, str]:
    return {"Podium-Attendance": credential}


def lobby_room(client: TestClient, owner: Caller, **fields: Any) -> Json:
    """A permanent room with a lobby message, an agenda and a thank-you page."""
    return schedule(
        client,
        owner,
        permanent=True,
        starts_at=None,
        lobby_enabled=True,
        lobby_description="Grab a coffee, we start at ten.",
        agenda="1. Welcome\n2. Demo",
        thank_you_page_url=THANKS,
        **fields,
    )


def enter(client: TestClient, room: Json, email: str, role: str = "listener") -> str:
    """Join ``room`` as ``role`` (presenters and hosts by their role link); the credential."""
    presented = (
        {"role_hash": query_of(room["role_links"][role])["role"]} if role != "listener" else {}
    )
    return str(expect(join(client, room, email, **presented), 200)["credential"])


def act(client: TestClient, room: Json, who: str | Caller, action: str, **body: Any) -> Response:
    """POST a session action of ``room`` as a participant (credential) or as the host (key)."""
    headers = who.headers if isinstance(who, Caller) else attendance(who)
    path = f"/rooms/{room['room_id']}/sessions" + (
        "" if action == "start" else f"/current/{action}"
    )
    response: Response = client.post(path, json=body, headers=headers)
    return response


def place(client: TestClient, room: Json, credential: str) -> Json:
    return expect(client.get(f"/rooms/{room['room_id']}/me", headers=attendance(credential)), 200)


def test_a_presenter_enters_before_the_start_while_attendees_wait_in_the_lobby(
    client: TestClient,
) -> None:
    """Before the start an attendee is in the lobby with its message and agenda, a presenter is
    in the room; the presenter starts the event with their credential and the attendee is in."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    speaker = enter(client, room, "speaker@example.com", "presenter")
    ann = enter(client, room, "ann@example.com")
    waiting = place(client, room, ann)
    assert (waiting["where"], waiting["role"], waiting["live"]) == ("lobby", "listener", False)
    assert waiting["lobby"] == {
        "message": "Grab a coffee, we start at ten.",
        "agenda": "1. Welcome\n2. Demo",
    }
    assert place(client, room, speaker)["where"] == "room"
    started = expect(act(client, room, speaker, "start"), 200)
    assert (started["session"], started["live"], started["locked"]) == (1, True, False)
    now = place(client, room, ann)
    assert (now["where"], now["live"], now["session"]) == ("room", True, 1)
    assert expect(act(client, room, speaker, "start"), 200) == started  # starting again: same


def test_an_attendee_may_not_start_end_lock_or_invite(client: TestClient, podium: Podium) -> None:
    """Each presenter action by a listener is a 403 that names the action, and appends nothing."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    ann = enter(client, room, "ann@example.com")
    before = head(podium)
    assert problem(act(client, room, ann, "start"), 403)["detail"] == (
        "only a host or presenter may start the event"
    )
    expect(act(client, room, owner, "start"), 200)
    before = head(podium)
    refusals: dict[str, tuple[Json, str]] = {
        "end": ({}, "end the session"),
        "lock": ({"locked": True}, "lock or unlock the room"),
        "invitations": ({"emails": ["cy@example.com"]}, "invite people"),
    }
    for action, (body, what) in refusals.items():
        detail = problem(act(client, room, ann, action, **body), 403)["detail"]
        assert detail == f"only a host or presenter may {what}"
    assert head(podium) == before
    assert place(client, room, ann)["live"] is True


def test_the_host_exiting_leaves_the_session_open_and_ending_sends_all_to_the_thank_you_page(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """ "Exit myself": the host leaves and the attendee stays in a live session; "end session":
    closed for all, the end names the thank-you page, the attendee is told to go there and is
    thanked by email."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    host = enter(client, room, "owner@example.com", "host")
    ann = enter(client, room, "ann@example.com")
    speaker = enter(client, room, "speaker@example.com", "presenter")
    expect(act(client, room, host, "start"), 200)
    leave(client, room, host)
    assert place(client, room, ann)["where"] == "room"
    assert [s["live"] for s in sessions(client, owner, room)] == [True]
    assert "left this session" in problem(act(client, room, host, "end"), 409)["detail"]
    ended = expect(act(client, room, speaker, "end"), 200)
    assert (ended["live"], ended["ended_how"], ended["thank_you_page_url"]) == (
        False,
        "ended_for_all",
        THANKS,
    )
    out = place(client, room, ann)
    assert (out["where"], out["thank_you_page_url"]) == ("ended", THANKS)
    assert expect(act(client, room, speaker, "end"), 200) == ended  # ending again: no change
    podium.policies.catch_up()
    deliver_due(podium, transport)
    [thanks] = mail_to(smtp_server, "ann@example.com")
    assert THANKS in text(thanks)


def test_a_locked_session_admits_presenters_and_who_is_in_but_no_new_listener(
    client: TestClient,
) -> None:
    """Locked: a new listener is refused (403), a presenter enters, a listener already in may
    reconnect; unlocked, the listener enters. The next session starts unlocked."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    speaker = enter(client, room, "speaker@example.com", "presenter")
    enter(client, room, "ann@example.com")
    refused = act(client, room, speaker, "lock", locked=True)
    assert "has not started" in problem(refused, 409)["detail"]
    expect(act(client, room, speaker, "start"), 200)
    locked = expect(act(client, room, speaker, "lock", locked=True), 200)
    assert locked["locked"] is True
    assert expect(act(client, room, owner, "lock", locked=True), 200)["locked"] is True
    assert "only presenters" in problem(join(client, room, "late@example.com"), 403)["detail"]
    enter(client, room, "second@example.com", "presenter")
    assert expect(join(client, room, "ann@example.com"), 200)["session"] == 1
    assert place(client, room, speaker)["locked"] is True
    expect(act(client, room, owner, "lock", locked=False), 200)
    enter(client, room, "late@example.com")
    expect(act(client, room, speaker, "lock", locked=True), 200)
    expect(act(client, room, owner, "end"), 200)
    expect(act(client, room, owner, "start"), 200)
    assert expect(join(client, room, "late@example.com"), 200)["session"] == 2


def test_a_presenter_invites_by_email_from_inside_the_room(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """The Attendee List's Invite sends the room's own invitation mail, with the room link."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    speaker = enter(client, room, "speaker@example.com", "presenter")
    expect(act(client, room, speaker, "start"), 200)
    sent = expect(act(client, room, speaker, "invitations", emails=["Cy@Example.com"]), 200)
    assert (sent["invited"], sent["role"]) == (["cy@example.com"], "listener")
    deliver_due(podium, transport)
    [invitation] = mail_to(smtp_server, "cy@example.com")
    assert room["name"] in invitation["Subject"]
    assert room["room_url"] in text(invitation)


def test_bad_session_actions_are_refused_with_what_is_wrong(
    client: TestClient, podium: Podium
) -> None:
    """No credential, a forged one, a lock that is not a boolean, an invitation without
    addresses or with a bad one or an unknown role: each a clear 4xx, nothing appended."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    speaker = enter(client, room, "speaker@example.com", "presenter")
    expect(act(client, room, speaker, "start"), 200)
    before = head(podium)
    assert problem(client.get(f"/rooms/{room['room_id']}/me"), 401)
    forged = client.get(f"/rooms/{room['room_id']}/me", headers=attendance(speaker + "x"))
    assert "not valid" in problem(forged, 403)["detail"]
    assert "locked" in str(problem(act(client, room, speaker, "lock", locked="maybe"), 422))
    assert "locked" in str(problem(act(client, room, speaker, "lock"), 422))
    bodies: list[Json] = [
        {"emails": []},
        {"emails": ["not-an-email"]},
        {"emails": ["a@b.co"], "role": "host"},
    ]
    for body in bodies:
        assert problem(act(client, room, speaker, "invitations", **body), 422)
    assert head(podium) == before


def test_two_presenters_starting_at_once_start_one_session(
    client: TestClient, podium: Podium
) -> None:
    """Racing starts collide on the room's session counter: both answer session 1, live, and
    the room has one session."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    speakers = [enter(client, room, f"s{n}@example.com", "presenter") for n in range(2)]
    ready = threading.Barrier(2)
    answers: list[Json] = []

    def race(credential: str) -> None:
        ready.wait()
        answers.append(expect(act(client, room, credential, "start"), 200))

    threads = [threading.Thread(target=race, args=(c,)) for c in speakers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [(a["session"], a["live"]) for a in answers] == [(1, True), (1, True)]
    assert [s["number"] for s in sessions(client, owner, room)] == [1]


def test_a_session_left_empty_ends_by_itself_after_the_grace_period(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """The last person leaves: 29 minutes later the session is still live, at 30 it has ended
    as left_empty (and a join enters the next session's lobby)."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    speaker = enter(client, room, "speaker@example.com", "presenter")
    expect(act(client, room, speaker, "start"), 200)
    leave(client, room, speaker)
    podium.policies.catch_up()
    clock.advance(timedelta(minutes=29))
    podium.policies.catch_up()
    assert [s["live"] for s in sessions(client, owner, room)] == [True]
    clock.advance(timedelta(minutes=1))
    podium.policies.catch_up()
    podium.projector.catch_up()
    [ended] = sessions(client, owner, room)
    assert (ended["live"], ended["ended_how"]) == (False, "left_empty")
    assert expect(join(client, room, "ann@example.com"), 200)["session"] == 2


def test_someone_coming_back_within_the_grace_period_keeps_the_session_open(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A join after the last leave keeps the session live past the first grace period; the
    room's own grace (5 minutes) then ends it 5 minutes after that person leaves too."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner, empty_session_grace_minutes=5)
    speaker = enter(client, room, "speaker@example.com", "presenter")
    expect(act(client, room, speaker, "start"), 200)
    leave(client, room, speaker)
    clock.advance(timedelta(minutes=2))
    ann = enter(client, room, "ann@example.com")
    clock.advance(timedelta(minutes=10))
    podium.policies.catch_up()
    assert [s["live"] for s in sessions(client, owner, room)] == [True]
    leave(client, room, ann)
    clock.advance(timedelta(minutes=5))
    podium.policies.catch_up()
    podium.projector.catch_up()
    assert [s["ended_how"] for s in sessions(client, owner, room)] == ["left_empty"]


def test_a_grace_period_outside_one_minute_to_a_day_is_refused(client: TestClient) -> None:
    """The grace period is whole minutes from 1 to 1440."""
    owner = trial_owner(client, "owner@example.com")
    for bad in (0, 1441, "soon"):
        body = {"name": "R", "permanent": True, "empty_session_grace_minutes": bad}
        detail = str(problem(client.post("/rooms", json=body, headers=owner.headers), 422))
        assert "empty_session_grace_minutes" in detail


def test_an_empty_sessions_grace_period_outlives_a_restart(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """The leave is held by one process; another, started later, ends the session when due."""
    owner = trial_owner(client, "owner@example.com")
    room = lobby_room(client, owner)
    speaker = enter(client, room, "speaker@example.com", "presenter")
    expect(act(client, room, speaker, "start"), 200)
    leave(client, room, speaker)
    podium.policies.catch_up()  # held until 30 minutes after the leave
    again = bootstrap(podium.settings, clock=clock, gateway=podium.gateway)
    try:
        clock.advance(timedelta(minutes=30))
        again.policies.catch_up()
        again.projector.catch_up()
        [ended] = again.views.live_sessions.sessions(room["room_id"])
        assert ended["ended_how"] == "left_empty"
    finally:
        again.close()
