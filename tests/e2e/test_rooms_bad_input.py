"""Bad input to the events API: each refusal is a 4xx problem saying what is wrong, and a
refused request appends nothing to the log."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.helpers import expect, head, paying_owner, problem, trial_owner
from tests.e2e.rooms import NEXT_WEEK, generate_tokens, join, schedule

ROOM = {"name": "Webinar", "starts_at": NEXT_WEEK, "timezone": "UTC"}
FIELD = {"label": "Choice", "type": "select", "options": ["A"]}

# (changes to a valid room, status, a word the detail must contain)
BAD_ROOMS: list[tuple[dict[str, Any], int, str]] = [
    ({"timezone": "Mars/Olympus_Mons"}, 422, "unknown time zone"),
    ({"timezone": "../../etc/passwd"}, 422, "unknown time zone"),
    ({"starts_at": "2026-10-15T08:59:00"}, 422, "past"),
    ({"starts_at": "2026-10-15T10:30:00", "timezone": "Europe/Warsaw"}, 422, "past"),
    ({"starts_at": "next tuesday"}, 422, "starts_at"),
    ({"starts_at": None}, 422, "starts_at"),
    ({"access_type": "password"}, 422, "password"),
    ({"access_type": "password", "password": ""}, 422, "password"),
    ({"access_type": "vip"}, 422, "access_type"),
    ({"room_type": "seminar"}, 422, "room_type"),
    ({"name": ""}, 422, "name"),
    ({"name": "x" * 201}, 422, "name"),
    ({"name": "a\u0000b"}, 422, "name: must not contain control characters"),
    ({"name": "two\nlines"}, 422, "name must not contain control characters"),
    ({"lobby_description": "bell\u0007"}, 422, "lobby_description"),
    ({"agenda": "escape\u001b[2J"}, 422, "agenda"),
    ({"registration_fields": [FIELD | {"label": "tab\there"}]}, 422, "label"),
    ({"agenda": "x" * 5001}, 422, "agenda"),
    ({"lobby_description": "x" * 2001}, 422, "lobby_description"),
    ({"password": "x" * 65, "access_type": "password"}, 422, "password"),
    ({"duration_minutes": 2}, 422, "duration"),
    ({"duration_minutes": 25 * 60}, 422, "duration"),
    ({"thank_you_page_url": "javascript:alert(1)"}, 422, "thank_you_page_url"),
    ({"registration_fields": [FIELD | {"options": []}]}, 422, "options"),
    ({"registration_fields": [FIELD | {"type": "hologram"}]}, 422, "type"),
    ({"registration_fields": [FIELD | {"label": ""}]}, 422, "label"),
    ({"registration_fields": [FIELD | {"label": f"F{n}"} for n in range(21)]}, 422, "fields"),
    ({"attendee_limit": 0}, 422, "attendee_limit"),
    ({"attendee_limit": 26}, 409, "at most 25 attendees"),
    ({"room_type": "meeting", "attendee_limit": 6}, 409, "a meeting allows at most 5"),
    ({"colour": "red"}, 422, "colour"),
]


@pytest.mark.parametrize(("changes", "status", "word"), BAD_ROOMS)
def test_a_bad_room_is_refused_saying_why_and_appends_nothing(
    client: TestClient, podium: Podium, changes: dict[str, Any], status: int, word: str
) -> None:
    """Each bad schedule is refused with its status and a detail naming the problem."""
    owner = trial_owner(client, "owner@example.com")
    before = head(podium)
    response = client.post("/rooms", json=ROOM | changes, headers=owner.headers)
    assert word in problem(response, status)["detail"]
    assert head(podium) == before


def test_a_meeting_over_25_attendees_is_refused_on_any_plan(
    client: TestClient, podium: Podium
) -> None:
    """Even on a 50-attendee plan a meeting is capped at 25 (a webinar may have 50)."""
    owner = paying_owner(client, "owner@example.com", "live-50")
    before = head(podium)
    meeting = ROOM | {"room_type": "meeting", "attendee_limit": 26}
    detail = problem(client.post("/rooms", json=meeting, headers=owner.headers), 409)["detail"]
    assert "a meeting allows at most 25 attendees" in detail
    assert head(podium) == before
    schedule(client, owner, room_type="meeting", attendee_limit=25)
    schedule(client, owner, attendee_limit=50)


# (an edit of an open webinar with the phone gateway on, status, a word the detail must contain)
BAD_EDITS: list[tuple[dict[str, Any], int, str]] = [
    ({"starts_at": "2026-10-01T10:00:00"}, 422, "past"),
    ({"timezone": "Nowhere/Special"}, 422, "unknown time zone"),
    ({"access_type": "password"}, 422, "password"),
    ({"name": None}, 422, "name"),
    ({"room_type": "meeting", "attendee_limit": 10}, 409, "meeting"),
    ({"resend_invitations": "maybe"}, 422, "resend_invitations"),
]


@pytest.mark.parametrize(("changes", "status", "word"), BAD_EDITS)
def test_a_bad_edit_is_refused_and_the_room_stays_as_it_was(
    client: TestClient, podium: Podium, changes: dict[str, Any], status: int, word: str
) -> None:
    """An edit breaking a rule is refused whole: the room reads as before, nothing appended."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, phone_gateway=True)
    before = head(podium)
    response = client.patch(f"/rooms/{room['room_id']}", json=changes, headers=owner.headers)
    assert word in problem(response, status)["detail"]
    assert head(podium) == before
    assert expect(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 200) == room


def test_bad_invitations_are_refused_and_append_nothing(client: TestClient, podium: Podium) -> None:
    """Invalid addresses, nobody to invite, an unknown role or group: each a clear 4xx."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    path = f"/rooms/{room['room_id']}/invitations"
    unknown_group = "00000000-0000-4000-8000-000000000000"
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({"emails": ["not-an-address"]}, 422, "emails"),
        ({"emails": ["ann@example.com", "bob@"]}, 422, "emails"),
        ({"emails": []}, 422, "at least one"),
        ({"emails": ["ann@example.com"], "role": "host"}, 422, "role"),
        ({"emails": ["ann@example.com"], "lang": "xx"}, 422, "lang"),
        ({"group_ids": [unknown_group]}, 404, "group"),
        ({"emails": [f"p{n}@example.com" for n in range(501)]}, 422, "emails"),
    ]
    before = head(podium)
    for body, status, word in cases:
        detail = problem(client.post(path, json=body, headers=owner.headers), status)["detail"]
        assert word in detail, (body, detail)
    assert head(podium) == before


def test_bad_registrations_are_refused_and_append_nothing(
    client: TestClient, podium: Podium
) -> None:
    """Each bad registration is a 4xx saying what is wrong, and appends nothing."""
    owner = trial_owner(client, "owner@example.com")
    fields = [{"label": "Company", "required": True}, FIELD]
    room = schedule(client, owner, registration_enabled=True, registration_fields=fields)
    closed = schedule(client, owner, "Closed")
    person = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com"}
    cases: list[tuple[str, dict[str, Any], int, str]] = [
        (room["room_id"], person, 422, "'Company' is required"),
        (room["room_id"], person | {"answers": {"Company": ""}}, 422, "required"),
        (room["room_id"], person | {"answers": {"Company": "X", "Choice": "B"}}, 422, "option"),
        (room["room_id"], person | {"answers": {"Company": "X", "Shoe size": 9}}, 422, "unknown"),
        (room["room_id"], person | {"answers": {"Company": "x" * 1001}}, 422, "answers.Company"),
        (room["room_id"], person | {"answers": {"Company": {"a": [1]}}}, 422, "answers.Company"),
        (room["room_id"], person | {"email": "ada at example"}, 422, "email"),
        (room["room_id"], {"first_name": "Ada", "email": "ada@example.com"}, 422, "last_name"),
        (room["room_id"], person | {"first_name": "x" * 201}, 422, "first_name"),
        (closed["room_id"], person, 409, "not enabled"),
        ("00000000-0000-4000-8000-000000000000", person, 404, "not found"),
    ]
    before = head(podium)
    for room_id, body, status, word in cases:
        response = client.post(f"/rooms/{room_id}/registrations", json=body)
        detail = problem(response, status)["detail"]
        assert word in detail, (body, detail)
    assert head(podium) == before
    problem(client.get(f"/rooms/{closed['room_id']}/registration-form"), 409)


def test_bad_token_requests_are_refused(client: TestClient, podium: Podium) -> None:
    """Bad token counts, unknown tokens and a re-used token are refused, appending nothing."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="token")
    [token] = generate_tokens(client, owner, room, 1)
    expect(join(client, room, "first@example.com", token=token), 200)
    path = f"/rooms/{room['room_id']}/tokens"
    before = head(podium)
    for how_many in (0, 1001, "5"):
        problem(client.post(path, json={"how_many": how_many}, headers=owner.headers), 422)
    problem(client.delete(f"{path}/NOSUCH", headers=owner.headers), 404)
    reused = problem(join(client, room, "second@example.com", token=token), 403)
    assert "already been used" in reused["detail"]
    assert head(podium) == before


def test_a_non_ascii_password_is_checked_not_crashed_on(client: TestClient) -> None:
    """A room password in Polish admits with it and refuses (403) a wrong non-ASCII guess."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="password", password="zażółć gęślą")
    assert (
        "password" in problem(join(client, room, "a@example.com", password="jaźń"), 403)["detail"]
    )
    expect(join(client, room, "a@example.com", password="zażółć gęślą"), 200)
    problem(join(client, room, "b@example.com", role_hash="żółw"), 403)


def test_bad_joins_are_refused_saying_why(client: TestClient, podium: Podium) -> None:
    """Joining without saying who you are, or a room that does not exist, is refused."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    before = head(podium)
    problem(client.post(f"/rooms/{room['room_id']}/join", json={"email": "a@example.com"}), 422)
    problem(join(client, room, "not-an-email"), 422)
    problem(join(client, {"room_id": "00000000-0000-4000-8000-000000000000"}, "a@example.com"), 404)
    assert head(podium) == before


def test_bad_contacts_and_timeline_queries_are_refused(client: TestClient) -> None:
    """An invalid contact email, an unknown field, or a timeline page out of range: 422."""
    owner = trial_owner(client, "owner@example.com")
    for body in ({"email": "nope"}, {"email": "a@example.com", "shoe_size": 9}):
        problem(client.post("/contacts", json=body, headers=owner.headers), 422)
    problem(client.post("/contact-groups", json={"name": ""}, headers=owner.headers), 422)
    problem(client.get("/timeline", params={"limit": 0}, headers=owner.headers), 422)
    problem(client.get("/timeline", params={"limit": 501}, headers=owner.headers), 422)
