"""Getting into a room over HTTP with each access type, and every refusal saying why: password,
single-use tokens, registration, role links and autologin hashes, the lock, the room's
capacity and the account's one live event (more with room sessions bought)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.helpers import Caller, Json, expect, head, paying_owner, problem, trial_owner
from tests.e2e.rooms import generate_tokens, join, query_of, register, schedule


def admissions(client: TestClient, owner: Caller, room: Json) -> list[Json]:
    response = client.get(f"/rooms/{room['room_id']}/admissions", headers=owner.headers)
    listed: list[Json] = expect(response, 200)["admissions"]
    return listed


def refused(client: TestClient, podium: Podium, room: Json, email: str, **presented: str) -> str:
    """Join, expecting a 403 that changes nothing; returns the reason given."""
    before = head(podium)
    detail = str(problem(join(client, room, email, **presented), 403)["detail"])
    assert head(podium) == before
    return detail


def test_anyone_with_the_link_enters_an_open_room_as_a_listener(client: TestClient) -> None:
    """Found by event ID, an open room seats a listener once, however often they come back."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, lobby_enabled=True)
    found = expect(client.get(f"/events/{room['number']}"), 200)
    admitted = expect(join(client, found, "guest@example.com"), 200)
    assert admitted["role"] == "listener"
    assert admitted["room_url"] == room["room_url"]
    assert admitted["lobby"] is True
    again = expect(join(client, room, "Guest@Example.com"), 200)
    assert again["seat"] == admitted["seat"]
    [row] = admissions(client, owner, room)
    assert (row["email"], row["via"], row["visits"]) == ("guest@example.com", "open", 2)


def test_a_password_room_admits_only_with_its_password(client: TestClient, podium: Podium) -> None:
    """Without or with a wrong password the answer is 403 saying so; the right one enters."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="password", password="open-sesame")
    assert "password" in refused(client, podium, room, "guest@example.com")
    assert "password" in refused(client, podium, room, "guest@example.com", password="sesame")
    admitted = expect(join(client, room, "guest@example.com", password="open-sesame"), 200)
    assert admitted["role"] == "listener"
    assert admissions(client, owner, room)[0]["via"] == "password"


def test_a_token_lets_in_one_person_only(client: TestClient, podium: Podium) -> None:
    """A token's first user may come back; a second person is refused (403) with the reason."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="token")
    first, second = generate_tokens(client, owner, room, 2)
    assert "token" in refused(client, podium, room, "alice@example.com")
    assert "not valid" in refused(client, podium, room, "alice@example.com", token="NOPE42")

    expect(join(client, room, "alice@example.com", token=first.lower()), 200)
    expect(join(client, room, "alice@example.com", token=first), 200)
    reason = refused(client, podium, room, "bob@example.com", token=first)
    assert reason == "this token has already been used by someone else"
    expect(join(client, room, "bob@example.com", token=second), 200)

    listed = expect(client.get(f"/rooms/{room['room_id']}/tokens", headers=owner.headers), 200)
    by_token = {t["token"]: t for t in listed["tokens"]}
    assert set(by_token) == {first, second}
    assert (by_token[first]["used"], by_token[first]["used_by"]) == (True, "alice@example.com")
    assert by_token[second]["used_by"] == "bob@example.com"
    assert all(t["active"] for t in listed["tokens"])


def test_a_deactivated_token_lets_nobody_in(client: TestClient, podium: Podium) -> None:
    """Deactivating a token refuses even the person who used it, and the list shows it."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="token")
    [token] = generate_tokens(client, owner, room, 1)
    expect(join(client, room, "alice@example.com", token=token), 200)
    path = f"/rooms/{room['room_id']}/tokens/{token}"
    assert expect(client.delete(path, headers=owner.headers), 200)["active"] is False
    assert "deactivated" in refused(client, podium, room, "alice@example.com", token=token)
    listed = expect(client.get(f"/rooms/{room['room_id']}/tokens", headers=owner.headers), 200)
    assert listed["tokens"][0]["active"] is False


def test_tokens_are_for_token_rooms_only(client: TestClient, podium: Podium) -> None:
    """Generating tokens for an open room is refused (409) and appends nothing."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    before = head(podium)
    response = client.post(
        f"/rooms/{room['room_id']}/tokens", json={"how_many": 3}, headers=owner.headers
    )
    assert "token access" in problem(response, 409)["detail"]
    assert head(podium) == before


def test_a_registration_room_admits_registrants_only(client: TestClient, podium: Podium) -> None:
    """Only registrants enter; the registrations list shows their answers, status and link."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(
        client,
        owner,
        registration_enabled=True,
        registration_fields=[
            {"label": "Company", "required": True},
            {"label": "Role", "type": "select", "options": ["Dev", "Ops"]},
        ],
    )
    form = expect(client.get(f"/rooms/{room['room_id']}/registration-form"), 200)
    assert [f["label"] for f in form["fields"]] == ["first_name", "last_name", "email"]
    assert [(f["label"], f["required"]) for f in form["custom_fields"]] == [
        ("Company", True),
        ("Role", False),
    ]
    assert "register first" in refused(client, podium, room, "ada@example.com")

    registered = register(client, room, "ada@example.com", Company="Analytical", Role="Dev")
    assert registered["url"] == f"{room['room_url']}?r={registered['r']}"
    assert "does not match" in refused(client, podium, room, "ada@example.com", r="forged-code")
    expect(join(client, room, "ada@example.com", r=query_of(registered["url"])["r"]), 200)
    expect(join(client, room, "ada@example.com"), 200)

    path = f"/rooms/{room['room_id']}/registrations"
    [row] = expect(client.get(path, headers=owner.headers), 200)["registrations"]
    assert (row["email"], row["first_name"], row["status"]) == ("ada@example.com", "Ada", "active")
    assert row["answers"] == {"Company": "Analytical", "Role": "Dev"}
    assert row["url"] == registered["url"]
    active = expect(client.get(path, params={"status": "active"}, headers=owner.headers), 200)
    assert active["registrations"] == [row]


def test_registering_twice_with_one_email_is_refused(client: TestClient, podium: Podium) -> None:
    """One registration per email per event: the second is a 409 and appends nothing."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, registration_enabled=True)
    register(client, room, "ada@example.com")
    before = head(podium)
    body = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com"}
    response = client.post(f"/rooms/{room['room_id']}/registrations", json=body)
    assert "already registered" in problem(response, 409)["detail"]
    assert head(podium) == before


def test_a_locked_room_refuses_listeners_but_lets_its_host_in(
    client: TestClient, podium: Podium
) -> None:
    """A locked room refuses new listeners (403) but admits its host; unlocked, all enter."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    lock = f"/rooms/{room['room_id']}/lock"
    expect(client.post(lock, json={"locked": True}, headers=owner.headers), 200)
    assert "locked" in refused(client, podium, room, "late@example.com")
    host_hash = query_of(room["role_links"]["host"])["role"]
    host = expect(join(client, room, "owner@example.com", role_hash=host_hash), 200)
    assert host["role"] == "host"
    expect(client.post(lock, json={"locked": False}, headers=owner.headers), 200)
    expect(join(client, room, "late@example.com"), 200)


def test_role_links_admit_presenters_and_refuse_forged_hashes(
    client: TestClient, podium: Podium
) -> None:
    """The presenter link makes a presenter, even in a password room; a forged one is 403."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="password", password="pw")
    presenter_hash = query_of(room["role_links"]["presenter"])["role"]
    admitted = expect(join(client, room, "speaker@example.com", role_hash=presenter_hash), 200)
    assert admitted["role"] == "presenter"
    assert "role link" in refused(client, podium, room, "x@example.com", role_hash="0" * 32)


def test_an_autologin_hash_lets_one_named_person_in_without_the_form(client: TestClient) -> None:
    """An autologin hash admits its named person, but not in another room or if tampered with."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="password", password="pw")
    other = schedule(client, owner, "Other")
    body = {"email": "vip@example.com", "nickname": "VIP", "role": "listener", "password": "pw"}
    path = f"/rooms/{room['room_id']}/autologin-hashes"
    issued = expect(client.post(path, json=body, headers=owner.headers), 200)
    assert issued["url"] == f"{room['room_url']}?l={issued['autologin_hash']}"
    assert expect(client.post(path, json=body, headers=owner.headers), 200) == issued

    value = issued["autologin_hash"]
    admitted = expect(client.post(f"/rooms/{room['room_id']}/join", json={"autologin": value}), 200)
    assert (admitted["nickname"], admitted["role"]) == ("VIP", "listener")
    [row] = admissions(client, owner, room)
    assert (row["email"], row["via"]) == ("vip@example.com", "autologin")
    elsewhere = client.post(f"/rooms/{other['room_id']}/join", json={"autologin": value})
    assert "another room" in problem(elsewhere, 403)["detail"]
    tampered = client.post(f"/rooms/{room['room_id']}/join", json={"autologin": "x" + value})
    assert "not valid" in problem(tampered, 403)["detail"]
    wrong = body | {"password": "guess"}
    assert (
        "password" in problem(client.post(path, json=wrong, headers=owner.headers), 403)["detail"]
    )


def test_the_third_joiner_of_a_two_seat_room_is_refused(client: TestClient, podium: Podium) -> None:
    """With attendee_limit 2 the third listener is told the event is full; nothing appended."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, attendee_limit=2)
    expect(join(client, room, "one@example.com"), 200)
    expect(join(client, room, "two@example.com"), 200)
    before = head(podium)
    assert "full" in problem(join(client, room, "three@example.com"), 409)["detail"]
    assert head(podium) == before
    expect(join(client, room, "one@example.com"), 200)  # coming back needs no new seat


def test_a_trial_meeting_admits_five_attendees(client: TestClient) -> None:
    """On the trial a meeting seats five listeners; the sixth is told it is full."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, room_type="meeting")
    for n in range(5):
        expect(join(client, room, f"p{n}@example.com"), 200)
    assert "5 attendees" in problem(join(client, room, "p5@example.com"), 409)["detail"]


def test_presenter_seats_follow_the_plan(client: TestClient) -> None:
    """The trial allows two presenters at once; a third presenter link is refused."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    presenter = query_of(room["role_links"]["presenter"])["role"]
    expect(join(client, room, "p1@example.com", role_hash=presenter), 200)
    expect(join(client, room, "p2@example.com", role_hash=presenter), 200)
    refusal = problem(join(client, room, "p3@example.com", role_hash=presenter), 409)
    assert "2 presenters" in refusal["detail"]


def test_a_trial_runs_one_live_event_at_a_time(client: TestClient, podium: Podium) -> None:
    """Once one event of the account is live, joining another is refused, saying why."""
    owner = trial_owner(client, "owner@example.com")
    first = schedule(client, owner, "First")
    second = schedule(client, owner, "Second")
    expect(join(client, first, "a@example.com"), 200)
    before = head(podium)
    reason = problem(join(client, second, "b@example.com"), 409)["detail"]
    assert "room sessions" in reason
    assert head(podium) == before
    expect(join(client, first, "b@example.com"), 200)  # the live one still takes people


def test_a_room_session_add_on_runs_a_second_event_at_once(client: TestClient) -> None:
    """A paid plan with one room session bought runs two events at once, not three."""
    owner = paying_owner(client, "owner@example.com")
    bought = client.post("/account/add-ons", json={"add_on": "room_session"}, headers=owner.headers)
    expect(bought, 200)
    first, second, third = (schedule(client, owner, name) for name in ("One", "Two", "Three"))
    expect(join(client, first, "a@example.com"), 200)
    expect(join(client, second, "b@example.com"), 200)
    problem(join(client, third, "c@example.com"), 409)


def test_an_inactive_room_refuses_everyone(client: TestClient, podium: Podium) -> None:
    """A room switched off answers 403 "not active" to anyone at the door."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    path = f"/rooms/{room['room_id']}/status"
    expect(client.post(path, json={"status": "inactive"}, headers=owner.headers), 200)
    assert "not active" in refused(client, podium, room, "guest@example.com")
