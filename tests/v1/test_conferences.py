"""Conferences: create, read, list, update and delete, as each known client sends them."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import quote

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.v1.helpers import (
    FORM,
    api_key,
    body,
    check_room,
    create,
    error,
    php_headers,
)


def test_php_client_schedules_a_webinar(client: TestClient, podium: Podium) -> None:
    """PHP's form: 201 ``{"room": ...}`` with times in the room's zone and ccc in UTC."""
    key = api_key(podium)
    form = (
        "name=Quarterly+Review&room_type=webinar&permanent_room=0&access_type=1"
        "&starts_at=2026-11-04+18%3A00%3A00&duration=1%3A30&timezone=Europe%2FWarsaw"
        "&lobby_enabled=1&lobby_description=Welcome%21&registration%5Benabled%5D=1"
        "&registration%5Btemplate%5D=2&skin_id=3"
        "&settings%5Bshow_on_personal_page%5D=0&settings%5Bthank_you_emails_enabled%5D=1"
        "&settings%5Bconnection_tester_enabled%5D=1&settings%5Bphonegateway_enabled%5D=1"
        "&settings%5Brecorder_autostart_enabled%5D=1&settings%5Broom_invite_button_enabled%5D=0"
        "&settings%5Bsocial_media_sharing_enabled%5D=1&settings%5Bconnection_status_enabled%5D=0"
        "&settings%5Bthank_you_page_url%5D=http%3A%2F%2Fexample.com%2Fthank_you.html"
    )
    room = create(client, key, form)
    assert (room["name"], room["room_type"], room["access_type"]) == (
        "Quarterly Review",
        "webinar",
        1,
    )
    assert room["permanent_room"] is False
    assert room["lobby_enabled"] is True
    assert room["lobby_description"] == "Welcome!"
    assert room["registration_enabled"] == 1
    assert room["timezone"] == "Europe/Warsaw"
    assert room["timezone_offset"] == 3600
    assert room["ccc"] == "2026-11-04 17:00:00"
    assert room["starts_at"] == "2026-11-04T18:00:00+01:00"
    assert room["ends_at"] == "2026-11-04T19:30:00+01:00"
    assert room["created_at"] == "2026-10-15T11:00:00+02:00"
    assert room["status"] == "active"
    assert room["settings"] == {
        "show_on_personal_page": False,
        "thank_you_emails_enabled": True,
        "connection_tester_enabled": True,
        "phonegateway_enabled": True,
        "recorder_autostart_enabled": True,
        "room_invite_button_enabled": False,
        "social_media_sharing_enabled": True,
        "connection_status_enabled": False,
        "thank_you_page_url": "http://example.com/thank_you.html",
    }


def test_python_client_with_capitalised_booleans(client: TestClient, podium: Podium) -> None:
    """The Python example's ``True``, quoted spaces and no ``starts_at``: a room from now."""
    key = api_key(podium)
    form = (
        "name=test%20room&room_type=meeting&permanent_room=False&access_type=1"
        "&lobby_enabled=True&registration%5Benabled%5D=True"
        "&settings%5Bsocial_media_sharing_enabled%5D=True"
    )
    response = client.post("/v1/conferences.json", content=form, headers=php_headers(key))
    room = check_room(body(response, 201)["room"])
    assert room["name"] == "test room"
    assert room["lobby_enabled"] is True
    assert room["registration_enabled"] == 1
    assert room["ccc"] == "2026-10-15 09:00:00"
    assert room["settings"]["social_media_sharing_enabled"] is True
    got = client.request(
        "GET",
        f"/v1/conferences/{room['id']}.json",
        content="None",
        headers={"X-Api-Key": key, "Content-Type": FORM},
    )
    assert body(got, 200)["conference"]["id"] == room["id"]


def test_ruby_client_sorted_pairs_make_a_permanent_password_room(
    client: TestClient, podium: Podium
) -> None:
    """Ruby's sorted ``CGI.escape`` pairs with ``true``: no ccc, starts_at or ends_at."""
    key = api_key(podium)
    form = (
        "access_type=2&lobby_enabled=true&name=Ruby+Room&password=s3cret&permanent_room=true"
        "&room_type=meeting&settings%5Brecorder_autostart_enabled%5D=true"
    )
    room = create(client, key, form)
    assert room["permanent_room"] is True
    assert not {"ccc", "starts_at", "ends_at"} & set(room)
    assert (room["access_type"], room["password"]) == (2, "s3cret")
    assert room["settings"]["recorder_autostart_enabled"] is True


def test_go_client_without_content_type(client: TestClient, podium: Podium) -> None:
    """Go posts, puts and deletes ``url.Values`` with no Content-Type, on ``.json`` paths."""
    key = api_key(podium)
    headers = {"X-Api-Key": key}
    form = "access_type=1&name=Go+Room&permanent_room=1&room_type=webinar"
    room = check_room(
        body(client.post("/v1/conferences.json", content=form, headers=headers), 201)["room"]
    )
    path = f"/v1/conferences/{room['id']}.json"
    renamed = body(client.put(path, content="name=Go+Renamed", headers=headers), 200)
    assert check_room(renamed["conference"])["name"] == "Go Renamed"
    assert body(client.request("DELETE", path, content="", headers=headers), 200) == {
        "result": "OK"
    }
    error(client.get(path, headers=headers), 404)


def test_node_client_sends_everything_in_the_query(client: TestClient, podium: Podium) -> None:
    """Node: ``conferences/?name=...`` with a trailing slash, encodeURIComponent, no body."""
    key = api_key(podium)
    query = "name=Node%20Room&room_type=meeting&permanent_room=true&access_type=1"
    response = client.post(f"/v1/conferences/?{query}", headers={"X-Api-Key": key})
    room = check_room(body(response, 201)["room"])
    assert (room["name"], room["permanent_room"]) == ("Node Room", True)
    got = body(client.get(f"/v1/conferences/{room['id']}/", headers={"X-Api-Key": key}), 200)
    assert got["conference"]["name"] == "Node Room"


def test_laravel_client_posts_json(client: TestClient, podium: Podium) -> None:
    """A JSON body with real booleans, an ISO start with a ``+0300`` offset, nested maps."""
    key = api_key(podium)
    payload = {
        "name": "Laravel Room",
        "room_type": "webinar",
        "permanent_room": False,
        "access_type": 2,
        "password": "pw",
        "starts_at": "2026-11-04T18:00:00+0300",
        "duration": "2:00",
        "timezone": "Europe/Moscow",
        "registration": {"enabled": True},
        "settings": {"show_on_personal_page": False},
    }
    response = client.post(
        "/v1/conferences",
        content=json.dumps(payload),
        headers={"X-Api-Key": key, "Content-Type": "application/json"},
    )
    room = check_room(body(response, 201)["room"])
    assert room["ccc"] == "2026-11-04 15:00:00"
    assert room["starts_at"] == "2026-11-04T18:00:00+03:00"
    assert room["ends_at"] == "2026-11-04T20:00:00+03:00"
    assert room["timezone_offset"] == 10800
    assert room["settings"]["show_on_personal_page"] is False


def test_lists_show_only_the_callers_rooms(client: TestClient, podium: Podium) -> None:
    """Each account lists its own rooms; another account's room is a 404."""
    mine, theirs = api_key(podium), api_key(podium, "other@example.com")
    room = create(client, mine)
    listed = body(client.get("/v1/conferences.json", headers={"X-Api-Key": mine}), 200)
    assert set(listed) == {"active_conferences"}
    assert [check_room(r)["id"] for r in listed["active_conferences"]] == [room["id"]]
    assert body(client.get("/v1/conferences/active.json", headers={"X-Api-Key": theirs}), 200) == []
    not_found = error(
        client.get(f"/v1/conferences/{room['id']}.json", headers={"X-Api-Key": theirs}), 404
    )
    assert not_found["name"] == "Not Found"
    error(client.get("/v1/conferences/12345.json", headers={"X-Api-Key": mine}), 404)


def test_put_edits_reschedules_and_deactivates(client: TestClient, podium: Podium) -> None:
    """PUT takes any create parameter plus ``status``; the room moves to the inactive list."""
    key = api_key(podium)
    room = create(client, key)
    form = (
        "name=Renamed&starts_at=2026-11-05+09%3A30&duration=1"
        "&settings%5Bshow_on_personal_page%5D=0&status=inactive"
    )
    path = f"/v1/conferences/{room['id']}.json"
    edited = check_room(
        body(client.put(path, content=form, headers=php_headers(key)), 200)["conference"]
    )
    assert edited["name"] == "Renamed"
    assert edited["starts_at"] == "2026-11-05T09:30:00+01:00"
    assert edited["ends_at"] == "2026-11-05T10:30:00+01:00"
    assert edited["settings"]["show_on_personal_page"] is False
    assert edited["settings"]["thank_you_emails_enabled"] is True
    assert edited["status"] == "inactive"
    headers = {"X-Api-Key": key}
    assert body(client.get("/v1/conferences/active.json", headers=headers), 200) == []
    assert [
        r["id"] for r in body(client.get("/v1/conferences/inactive.json", headers=headers), 200)
    ] == [room["id"]]


def test_put_without_parameters_changes_nothing(client: TestClient, podium: Podium) -> None:
    """PHP's PUT with ``Content-Length: 0`` answers the room as it was."""
    key = api_key(podium)
    room = create(client, key)
    response = client.put(
        f"/v1/conferences/{room['id']}.json",
        content=b"",
        headers=php_headers(key) | {"Content-Length": "0"},
    )
    assert body(response, 200)["conference"] == room


def test_a_room_that_has_ended_is_inactive(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """After its end a scheduled room leaves the active list and shows ``inactive``."""
    key = api_key(podium)
    room = create(client, key)
    clock.advance(timedelta(days=30))
    headers = {"X-Api-Key": key}
    assert body(client.get("/v1/conferences/active.json", headers=headers), 200) == []
    got = body(client.get(f"/v1/conferences/{room['id']}.json", headers=headers), 200)
    assert got["conference"]["status"] == "inactive"


def test_invalid_rooms_are_422_naming_the_field(client: TestClient, podium: Podium) -> None:
    """Missing name, bad values and refused combinations: 422 saying which parameter."""
    key = api_key(podium)
    base = "room_type=webinar&permanent_room=0&access_type=1&starts_at=2026-11-04+18%3A00"
    cases = {
        base: "name",
        "name=X&" + base.replace("access_type=1", "access_type=7"): "access_type",
        "name=X&" + base.replace("access_type=1", "access_type=2"): None,
        "name=X&" + base + "&timezone=Mars%2FOlympus": "timezone",
        "name=X&" + base + "&duration=an+hour": "duration",
        "name=X&"
        + base
        + "&settings%5Bshow_on_personal_page%5D=maybe": "settings[show_on_personal_page]",
        "name=X&" + base.replace("2026-11-04", "2020-01-01"): None,
        "name=X&" + base + "&skin_id=999": "skin_id",
    }
    for form, field in cases.items():
        found = error(
            client.post("/v1/conferences.json", content=form, headers=php_headers(key)), 422
        )
        assert found["errors"][0]["name"] == field, form
    assert body(client.get("/v1/conferences/active.json", headers={"X-Api-Key": key}), 200) == []


def test_skins_have_string_ids(client: TestClient, podium: Podium) -> None:
    """``conferences/skins`` lists ``{id, name, thumbnail_url}`` with string ids."""
    key = api_key(podium)
    skins = body(client.get("/v1/conferences/skins.json", headers={"X-Api-Key": key}), 200)
    assert skins
    for skin in skins:
        assert set(skin) == {"id", "name", "thumbnail_url"}
        assert isinstance(skin["id"], str)
        assert skin["id"].isdigit()
    room = create(
        client,
        key,
        "name=S&room_type=webinar&permanent_room=1&access_type=1&skin_id=" + quote(skins[0]["id"]),
    )
    assert room["name"] == "S"


def test_custom_room_url_name_chooses_the_room_url(client: TestClient, podium: Podium) -> None:
    """`custom_room_url_name` becomes name_url and the end of room_url; reusing it is refused."""
    key = api_key(podium)
    form = "name=Board+Meeting&room_type=meeting&permanent_room=1&access_type=1"
    room = create(client, key, form + "&custom_room_url_name=board-2026")
    assert room["name_url"] == "board-2026"
    assert room["room_url"].endswith("/board-2026")
    again = client.post(
        "/v1/conferences",
        content=form + "&custom_room_url_name=board-2026",
        headers={"Content-Type": FORM, "X-Api-Key": key},
    )
    assert "board-2026" in error(again, 422)["errors"][0]["message"]
