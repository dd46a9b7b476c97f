"""What every /v1/ test needs: an API key, the wire headers clients send, the shapes to expect.

Requests are built by hand, byte for byte as each known client builds them; answers are read as
raw JSON and checked against the reference (``clickmeeting-api-v1.md``), never through schemas.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from commands.tokens import new_api_key
from podium.bootstrap import Podium

FORM = "application/x-www-form-urlencoded"
JSON_TYPE = "application/json"
TOKEN = re.compile(r"^[A-Z0-9]{6}$")
HEX32 = re.compile(r"^[0-9a-f]{32}$")
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
CCC = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")

ROOM_KEYS = {
    "id", "room_type", "room_pin", "name", "name_url", "description", "access_type", "password",
    "lobby_enabled", "lobby_description", "registration_enabled", "status", "timezone",
    "timezone_offset", "created_at", "updated_at", "permanent_room", "access_role_hashes",
    "room_url", "phone_presenter_pin", "phone_listener_pin", "embed_room_url", "widgets_hash",
    "recorder_list", "settings", "autologin_hashes", "autologin_hash",
}  # fmt: skip
SCHEDULED_KEYS = ROOM_KEYS | {"ccc", "starts_at", "ends_at"}
SETTINGS_KEYS = {
    "show_on_personal_page", "thank_you_emails_enabled", "connection_tester_enabled",
    "phonegateway_enabled", "recorder_autostart_enabled", "room_invite_button_enabled",
    "social_media_sharing_enabled", "connection_status_enabled", "thank_you_page_url",
}  # fmt: skip
REGISTRATION_KEYS = {
    "id", "visitor_nickname", "email", "registration_date", "registration_confirmed",
    "session_id", "fields", "url", "r", "http_referer", "geo",
}  # fmt: skip

# A scheduled webinar as the PHP example client posts it (http_build_query, 2026 dates).
PHP_WEBINAR = (
    "name=Quarterly+Review&room_type=webinar&permanent_room=0&access_type=1"
    "&starts_at=2026-11-04+18%3A00%3A00&duration=1%3A30&timezone=Europe%2FWarsaw"
    "&lobby_enabled=1&lobby_description=Welcome%21"
)


def api_key(podium: Podium, email: str = "owner@acme.example.com") -> str:
    """A new account's owner, logged in: the raw API key a ClickMeeting client is given."""
    podium.accounts.sign_up("Acme Webinars", email, "password1", False, None)
    key = new_api_key()
    podium.accounts.log_in(email, "password1", key)
    return key


def php_headers(key: str) -> dict[str, str]:
    """What the PHP example's curl sends with a body (the key header without a space)."""
    return {"X-Api-Key": key, "Content-Type": FORM, "Expect": "", "Accept-Encoding": "gzip,deflate"}


def body(response: Response, status: int) -> Any:
    """The raw JSON of ``response``, which must have ``status`` and a JSON content type."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def error(response: Response, status: int) -> dict[str, Any]:
    """A ClickMeeting error body: code (int), name, errors [{name, message}]."""
    found: dict[str, Any] = body(response, status)
    assert set(found) == {"code", "name", "errors"}
    assert found["code"] == status
    assert isinstance(found["name"], str)
    assert found["name"]
    assert found["errors"]
    for item in found["errors"]:
        assert set(item) == {"name", "message"}
        assert item["name"] is None or isinstance(item["name"], str)
        assert isinstance(item["message"], str)
        assert len(item["message"]) > 5
    return found


def check_room(room: dict[str, Any]) -> dict[str, Any]:
    """A room object with exactly the reference's keys and value types (3.1)."""
    keys = SCHEDULED_KEYS if not room["permanent_room"] else ROOM_KEYS
    assert set(room) == keys
    assert type(room["id"]) is int
    assert type(room["room_pin"]) is int
    assert len(str(room["room_pin"])) == 9
    assert room["room_type"] in ("meeting", "webinar")
    assert room["access_type"] in (1, 2, 3)
    assert type(room["access_type"]) is int
    assert type(room["registration_enabled"]) is int
    assert type(room["lobby_enabled"]) is bool
    assert type(room["permanent_room"]) is bool
    assert type(room["timezone_offset"]) is int
    assert room["status"] in ("active", "inactive")
    assert ISO.match(room["created_at"])
    assert ISO.match(room["updated_at"])
    if not room["permanent_room"]:
        assert CCC.match(room["ccc"])
        assert ISO.match(room["starts_at"])
        assert ISO.match(room["ends_at"])
    assert set(room["access_role_hashes"]) == {"listener", "presenter", "host"}
    assert all(HEX32.match(h) for h in room["access_role_hashes"].values())
    assert room["room_url"].startswith("http")
    assert room["room_url"].endswith("/" + room["name_url"])
    for pin in ("phone_presenter_pin", "phone_listener_pin"):
        assert type(room[pin]) is int
        assert len(str(room[pin])) == 6
    assert room["recorder_list"] == []
    assert set(room["settings"]) == SETTINGS_KEYS
    assert set(room["autologin_hashes"]) == {"host"}
    assert room["autologin_hash"] == room["autologin_hashes"]["host"]
    return room


def create(client: TestClient, key: str, form: str = PHP_WEBINAR) -> dict[str, Any]:
    """POST conferences as the PHP client does; the new room object."""
    response = client.post("/v1/conferences.json", content=form, headers=php_headers(key))
    room: dict[str, Any] = body(response, 201)["room"]
    return check_room(room)
