"""A room's live sessions over HTTP: start, end for all, leave; each session has all its seats."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner
from tests.e2e.rooms import join, schedule


def permanent_room(client: TestClient, owner: Caller, seats: int) -> Json:
    return schedule(client, owner, permanent=True, starts_at=None, attendee_limit=seats)


def start(client: TestClient, owner: Caller, room: Json) -> Json:
    return expect(client.post(f"/rooms/{room['room_id']}/sessions", headers=owner.headers), 200)


def end(client: TestClient, owner: Caller, room: Json) -> Json:
    path = f"/rooms/{room['room_id']}/sessions/current/end"
    return expect(client.post(path, headers=owner.headers), 200)


def leave(client: TestClient, room: Json, credential: str) -> Json:
    path = f"/rooms/{room['room_id']}/leave"
    return expect(client.post(path, json={"credential": credential}), 200)


def sessions(client: TestClient, owner: Caller, room: Json) -> list[Json]:
    path = f"/rooms/{room['room_id']}/sessions"
    listed: list[Json] = expect(client.get(path, headers=owner.headers), 200)["sessions"]
    return listed


def fill(client: TestClient, room: Json, prefix: str, seats: int) -> list[Json]:
    """Take every seat, then see one more person refused because the event is full."""
    admitted = [expect(join(client, room, f"{prefix}{n}@example.com"), 200) for n in range(seats)]
    assert sorted(a["seat"] for a in admitted) == list(range(1, seats + 1))
    assert (
        "the event is full" in problem(join(client, room, f"{prefix}x@example.com"), 409)["detail"]
    )
    return admitted


def test_a_permanent_room_gives_its_second_session_all_its_seats(
    client: TestClient, clock: ManualClock
) -> None:
    """Session 1 fills to capacity and ends; session 2 seats the same number again."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=3)
    first = start(client, owner, room)
    assert (first["session"], first["live"]) == (1, True)
    assert {a["session"] for a in fill(client, room, "one", 3)} == {1}
    clock.advance(timedelta(minutes=45))
    ended = end(client, owner, room)
    assert (ended["session"], ended["live"], ended["ended_how"]) == (1, False, "ended_for_all")
    assert {a["session"] for a in fill(client, room, "two", 3)} == {2}
    start(client, owner, room)
    listed = sessions(client, owner, room)
    assert [(s["number"], s["live"]) for s in listed] == [(1, False), (2, True)]
    assert listed[0]["ended_at"] is not None
    assert listed[1]["ended_at"] is None


def test_someone_from_session_one_joining_again_in_session_two_takes_a_seat_there(
    client: TestClient,
) -> None:
    """Admissions belong to a session: coming back in the next session is a new admission."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=1)
    start(client, owner, room)
    assert expect(join(client, room, "ann@example.com"), 200)["session"] == 1
    end(client, owner, room)
    again = expect(join(client, room, "ann@example.com"), 200)
    assert (again["session"], again["seat"]) == (2, 1)
    rows = expect(client.get(f"/rooms/{room['room_id']}/admissions", headers=owner.headers), 200)
    assert [(r["session"], r["email"]) for r in rows["admissions"]] == [
        (1, "ann@example.com"),
        (2, "ann@example.com"),
    ]


def test_leaving_gives_the_seat_to_the_next_person(client: TestClient, podium: Podium) -> None:
    """In a one-seat room the second person is refused until the first leaves."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=1)
    ann = expect(join(client, room, "ann@example.com"), 200)
    problem(join(client, room, "bob@example.com"), 409)
    left = leave(client, room, ann["credential"])
    assert (left["left"], left["seat"], left["session"]) == (True, 1, 1)
    bob = expect(join(client, room, "bob@example.com"), 200)
    assert bob["seat"] == 1
    before = head(podium)
    assert leave(client, room, ann["credential"])["seat"] is None  # leaving twice: nothing
    assert head(podium) == before
    problem(join(client, room, "ann@example.com"), 409)  # Bob holds the seat now


def test_coming_back_after_leaving_takes_a_free_seat_again(client: TestClient) -> None:
    """Who left and comes back is seated again, and counted as a further visit."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=2)
    ann = expect(join(client, room, "ann@example.com"), 200)
    leave(client, room, ann["credential"])
    assert expect(join(client, room, "ann@example.com"), 200)["seat"] in (1, 2)
    rows = expect(client.get(f"/rooms/{room['room_id']}/admissions", headers=owner.headers), 200)
    [row] = rows["admissions"]
    assert (row["visits"], row["left_at"]) == (2, None)


def test_attendees_joining_before_the_start_wait_for_the_upcoming_session(
    client: TestClient,
) -> None:
    """No session has started: a join is admitted into session 1, which the start then runs."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=5)
    early = expect(join(client, room, "early@example.com", nickname="Early"), 200)
    assert early["session"] == 1
    shown = expect(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 200)
    assert shown["live_session"] is None
    started = start(client, owner, room)
    shown = expect(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 200)
    assert shown["live_session"]["number"] == 1
    assert shown["live_session"]["started_at"] == started["started_at"]


def test_starting_and_ending_twice_change_nothing(client: TestClient, podium: Podium) -> None:
    """A second start answers the live session unchanged; a second end appends nothing."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=5)
    end(client, owner, room)  # nothing is live yet
    first = start(client, owner, room)
    before = head(podium)
    assert start(client, owner, room) == first
    assert head(podium) == before
    ended = end(client, owner, room)
    before = head(podium)
    assert end(client, owner, room) == ended
    assert head(podium) == before
    assert len(sessions(client, owner, room)) == 1


def test_a_forged_or_foreign_credential_lets_nobody_leave(client: TestClient) -> None:
    """A credential changed by a byte, or issued for another room, is refused with 403."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=5)
    other = permanent_room(client, owner, seats=5)
    credential = expect(join(client, room, "ann@example.com"), 200)["credential"]
    body, _, mac = credential.partition(".")
    forged = f"{body}.{'0' if mac[0] != '0' else '1'}{mac[1:]}"
    for target, presented in ((room, forged), (other, credential), (room, "no-dot")):
        path = f"/rooms/{target['room_id']}/leave"
        assert client.post(path, json={"credential": presented}).status_code == 403


def test_another_accounts_room_cannot_be_started_or_ended(client: TestClient) -> None:
    """Sessions of a room are the owner's to run: to anyone else the room is not found."""
    owner = trial_owner(client, "owner@example.com")
    stranger = trial_owner(client, "stranger@example.com")
    room = permanent_room(client, owner, seats=5)
    for path in ("sessions", "sessions/current/end"):
        response = client.post(f"/rooms/{room['room_id']}/{path}", headers=stranger.headers)
        problem(response, 404)
    problem(client.get(f"/rooms/{room['room_id']}/sessions", headers=stranger.headers), 404)


def test_rebuilt_session_read_models_answer_as_the_live_ones(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """After two sessions, leaves and comebacks, a rebuild answers the session reads alike."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=2)
    start(client, owner, room)
    ann = expect(join(client, room, "ann@example.com"), 200)
    leave(client, room, ann["credential"])
    expect(join(client, room, "ann@example.com"), 200)
    clock.advance(timedelta(minutes=30))
    end(client, owner, room)
    expect(join(client, room, "bob@example.com"), 200)
    start(client, owner, room)
    paths = [f"/rooms/{room['room_id']}{tail}" for tail in ("", "/sessions", "/admissions")]

    def reads() -> list[Json]:
        return [expect(client.get(path, headers=owner.headers), 200) for path in paths]

    live = reads()
    podium.projector.rebuild()
    assert reads() == live
