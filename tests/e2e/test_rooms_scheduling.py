"""Scheduling and editing rooms over HTTP: the room as shown, its lists, edits, deletion, lock,
the reference data behind the form, and finding a room by event ID or URL."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from fastapi.testclient import TestClient

from domain.ids import account_handle
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import (
    assign_subaccount,
    buy_packages,
    expect,
    head,
    member,
    paying_owner,
    problem,
    subaccount_login,
    trial_owner,
)
from tests.e2e.rooms import path_of, query_of, rooms, schedule, utc


def test_a_scheduled_room_shows_its_url_event_id_embed_code_pins_and_role_links(
    client: TestClient,
) -> None:
    """A new room shows its UTC start, URL, event ID, embed code, PINs and role links."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(
        client,
        owner,
        "Quarterly Review",
        starts_at="2026-10-20T10:00:00",
        timezone="Europe/Warsaw",
        duration_minutes=90,
        lobby_enabled=True,
        lobby_description="We start soon",
        agenda="1. Numbers",
    )
    assert utc(room["starts_at"]) == utc("2026-10-20T08:00:00+00:00")  # CEST is UTC+2
    assert utc(room["ends_at"]) == utc("2026-10-20T09:30:00+00:00")
    assert (room["timezone"], room["status"], room["locked"]) == ("Europe/Warsaw", "active", False)
    assert (
        path_of(room["room_url"]) == f"/{account_handle(UUID(owner.account_id))}/quarterly-review"
    )
    assert room["embed_code"].startswith(f'<iframe src="{room["room_url"]}?embed=1"')
    assert isinstance(room["number"], int)
    assert room["number"] > 0
    assert len(str(room["room_pin"])) == 9  # always nine digits, as ClickMeeting's
    assert 100_000 <= room["phone_listener_pin"] <= 999_999
    links = room["role_links"]
    assert set(links) == {"host", "presenter", "listener"}
    assert len({query_of(link)["role"] for link in links.values()}) == 3
    assert all(link.startswith(room["room_url"] + "?role=") for link in links.values())
    assert (room["lobby_enabled"], room["lobby_description"]) == (True, "We start soon")
    shown = expect(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 200)
    assert shown == room


def test_two_rooms_with_the_same_name_get_different_urls(client: TestClient) -> None:
    """The second room named alike gets a numbered slug, so every URL names one room."""
    owner = trial_owner(client, "owner@example.com")
    first = schedule(client, owner, "Weekly Sync")
    second = schedule(client, owner, "Weekly Sync")
    assert path_of(first["room_url"]).endswith("/weekly-sync")
    assert path_of(second["room_url"]).endswith("/weekly-sync-2")


def test_a_retried_schedule_returns_the_same_room_and_appends_nothing(
    client: TestClient, podium: Podium
) -> None:
    """Under one Idempotency-Key a retried POST /rooms answers with the first room."""
    owner = trial_owner(client, "owner@example.com")
    headers = owner.headers | {"Idempotency-Key": "schedule-1"}
    body = {"name": "Retry Me", "starts_at": "2026-10-22T10:00:00"}
    first = expect(client.post("/rooms", json=body, headers=headers), 201)
    before = head(podium)
    again = client.post("/rooms", json=body, headers=headers)
    assert expect(again, 201) == first
    assert again.headers["Idempotent-Replayed"] == "true"
    assert head(podium) == before
    assert [room["room_id"] for room in rooms(client, owner)] == [first["room_id"]]


def test_a_permanent_room_has_no_start_and_stays_active(
    client: TestClient, clock: ManualClock
) -> None:
    """A permanent room needs no start time and is on the active list whatever the date."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, "Open Office", permanent=True, starts_at=None)
    assert (room["permanent"], room["starts_at"], room["ends_at"]) == (True, None, None)
    clock.advance(timedelta(days=300))
    assert [r["room_id"] for r in rooms(client, owner)] == [room["room_id"]]


def test_an_ended_or_switched_off_event_moves_to_the_inactive_list(
    client: TestClient, clock: ManualClock
) -> None:
    """Ended and switched-off events are listed inactive; switched back on, active again."""
    owner = trial_owner(client, "owner@example.com")
    later = schedule(client, owner, "Later", starts_at="2026-10-25T10:00:00")
    soon = schedule(client, owner, "Soon", starts_at="2026-10-16T10:00:00", duration_minutes=30)
    assert [r["name"] for r in rooms(client, owner)] == ["Soon", "Later"]

    clock.set(utc("2026-10-16T10:31:00+00:00"))
    assert [r["name"] for r in rooms(client, owner)] == ["Later"]
    assert [r["name"] for r in rooms(client, owner, "inactive")] == ["Soon"]

    path = f"/rooms/{later['room_id']}/status"
    off = expect(client.post(path, json={"status": "inactive"}, headers=owner.headers), 200)
    assert off["status"] == "inactive"
    assert rooms(client, owner) == []
    assert {r["name"] for r in rooms(client, owner, "inactive")} == {"Soon", "Later"}
    expect(client.post(path, json={"status": "active"}, headers=owner.headers), 200)
    assert [r["room_id"] for r in rooms(client, owner)] == [later["room_id"]]
    assert soon["room_id"] in {r["room_id"] for r in rooms(client, owner, "inactive")}


def test_an_edit_changes_only_what_was_sent_and_says_what_changed(client: TestClient) -> None:
    """PATCH renames and reschedules in the room's zone; other settings stay as they were."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(
        client, owner, "Draft", timezone="America/New_York", agenda="Keep me", lobby_enabled=True
    )
    response = client.patch(
        f"/rooms/{room['room_id']}",
        json={"name": "Final", "starts_at": "2026-10-23T09:00:00", "duration_minutes": 45},
        headers=owner.headers,
    )
    edited = expect(response, 200)
    assert edited["changed"] == ["duration_minutes", "name", "starts_at"]
    assert edited["resent"] == []
    assert utc(edited["starts_at"]) == utc("2026-10-23T13:00:00+00:00")  # EDT is UTC-4
    assert utc(edited["ends_at"]) == utc("2026-10-23T13:45:00+00:00")
    assert (edited["agenda"], edited["lobby_enabled"]) == ("Keep me", True)
    assert edited["room_url"] == room["room_url"]  # the URL does not move with the name
    assert expect(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 200) == {
        k: v for k, v in edited.items() if k not in ("changed", "resent")
    }


def test_changing_only_the_time_zone_keeps_the_wall_clock_start(client: TestClient) -> None:
    """10:00 stays 10:00 in the new zone: a move from UTC to Warsaw starts two hours earlier."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, starts_at="2026-10-22T10:00:00", timezone="UTC")
    response = client.patch(
        f"/rooms/{room['room_id']}", json={"timezone": "Europe/Warsaw"}, headers=owner.headers
    )
    edited = expect(response, 200)
    assert edited["changed"] == ["starts_at", "timezone"]
    assert utc(edited["starts_at"]) == utc("2026-10-22T08:00:00+00:00")


def test_an_edit_that_changes_nothing_appends_nothing(client: TestClient, podium: Podium) -> None:
    """Sending the current values back is not a change: no event, an empty `changed`."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, "Same", agenda="A")
    before = head(podium)
    response = client.patch(
        f"/rooms/{room['room_id']}", json={"name": "Same", "agenda": "A"}, headers=owner.headers
    )
    assert expect(response, 200)["changed"] == []
    assert head(podium) == before


def test_a_deleted_room_is_gone_from_lists_links_and_edits(client: TestClient) -> None:
    """After DELETE the room is not found anywhere, by its owner or by its public URL."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    deleted = expect(client.delete(f"/rooms/{room['room_id']}", headers=owner.headers), 200)
    assert deleted["status"] == "deleted"
    assert rooms(client, owner) == []
    assert rooms(client, owner, "inactive") == []
    problem(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 404)
    problem(
        client.patch(f"/rooms/{room['room_id']}", json={"agenda": "x"}, headers=owner.headers), 404
    )
    problem(client.get(path_of(room["room_url"])), 404)
    problem(client.get(f"/events/{room['number']}"), 404)


def test_rooms_belong_to_their_account_and_its_members(client: TestClient, podium: Podium) -> None:
    """A member works on the account's rooms; another account sees none of them."""
    owner = trial_owner(client, "owner@example.com")
    colleague = member(client, podium, owner, "colleague@example.com")
    room = schedule(client, colleague, "Team Room")
    assert [r["room_id"] for r in rooms(client, owner)] == [room["room_id"]]
    stranger = trial_owner(client, "stranger@example.com")
    assert rooms(client, stranger) == []
    problem(client.get(f"/rooms/{room['room_id']}", headers=stranger.headers), 404)
    problem(client.delete(f"/rooms/{room['room_id']}", headers=stranger.headers), 404)
    problem(client.get("/rooms"), 401)


def test_a_subaccount_schedules_its_own_rooms_apart_from_its_parent(
    client: TestClient, podium: Podium
) -> None:
    """A subaccount's login schedules on the subaccount; the parent's list stays its own."""
    owner = paying_owner(client, "owner@example.com")
    buy_packages(client, owner, 25)
    sub_id = assign_subaccount(client, owner, "branch@example.com")
    branch = subaccount_login(client, podium, sub_id, "branch@example.com")
    room = schedule(client, branch, "Branch Webinar")
    assert path_of(room["room_url"]).startswith(f"/{account_handle(UUID(sub_id))}/")
    assert [r["room_id"] for r in rooms(client, branch)] == [room["room_id"]]
    assert rooms(client, owner) == []
    problem(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 404)


def test_locking_and_unlocking_a_room_shows_on_the_room(client: TestClient) -> None:
    """POST /lock sets the room's `locked` flag both ways."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    path = f"/rooms/{room['room_id']}/lock"
    assert expect(client.post(path, json={"locked": True}, headers=owner.headers), 200)["locked"]
    shown = expect(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 200)
    assert shown["locked"] is True
    unlocked = expect(client.post(path, json={"locked": False}, headers=owner.headers), 200)
    assert unlocked["locked"] is False


def test_a_room_is_found_by_event_id_and_by_url_without_its_secrets(client: TestClient) -> None:
    """The event ID and the room URL both lead to the same public facts, and no secret."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(
        client,
        owner,
        "Open Day",
        access_type="password",
        password="s3cret",
        lobby_enabled=True,
        lobby_description="Welcome!",
    )
    by_number = expect(client.get(f"/events/{room['number']}"), 200)
    by_url = expect(client.get(path_of(room["room_url"])), 200)
    assert by_number == by_url
    assert by_url["room_id"] == room["room_id"]
    assert by_url["name"] == "Open Day"
    assert by_url["access_type"] == "password"
    assert by_url["lobby"] == {"enabled": True, "description": "Welcome!"}
    assert by_url["registration_enabled"] is False
    assert "s3cret" not in str(by_url)
    assert not {"password", "role_links", "room_pin"} & set(by_url)
    problem(client.get(f"/events/{room['number'] + 1}"), 404)


def test_the_room_url_route_shadows_no_other_route(client: TestClient) -> None:
    """Two-segment paths that are not room URLs still reach their own routes (or 404)."""
    owner = trial_owner(client, "owner@example.com")
    schedule(client, owner)
    assert expect(client.get("/time-zones/PL"), 200)["time_zones"] == ["Europe/Warsaw"]
    problem(client.get("/account/transactions"), 401)
    problem(client.get("/nothere/at-all"), 404)
    problem(client.get("/0123abcd/no-such-room"), 404)


def test_the_scheduling_form_has_time_zones_dial_in_numbers_and_a_toll_free_calculator(
    client: TestClient,
) -> None:
    """Time zones (all and by country), dial-in numbers by city, and the toll-free cost."""
    zones = expect(client.get("/time-zones"), 200)["time_zones"]
    assert {"UTC", "Europe/Warsaw", "America/New_York"} <= set(zones)
    us = expect(client.get("/time-zones/us"), 200)
    assert us["country"] == "US"
    assert "America/Chicago" in us["time_zones"]
    problem(client.get("/time-zones/XX"), 404)
    numbers = expect(client.get("/dial-in-numbers"), 200)["dial_in_numbers"]
    cities = [n["location"] for n in numbers]
    assert (cities[0], cities[-1]) == ("Ankara", "Zürich")
    assert next(n for n in numbers if n["location"] == "Warsaw")["value"].startswith("+48 ")
    cost = expect(client.get("/toll-free-cost", params={"attendees": 40, "minutes": 90}), 200)
    assert cost == {
        "attendees": 40,
        "minutes": 90,
        "rate_per_minute": 12,
        "amount": 40 * 90 * 12,
        "currency": "USD",
    }
    problem(client.get("/toll-free-cost", params={"attendees": 0, "minutes": 90}), 422)
