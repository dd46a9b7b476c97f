"""Token access with the phone gateway on, and autologin hashes made without a token: both are
accepted (ClickMeeting's own example client asks for them), the first with a warning in the
room's answer, the second asking for the token at the door."""

from __future__ import annotations

import base64
import hmac
from uuid import UUID

import orjson
from fastapi.testclient import TestClient

from domain.room import PHONE_GATEWAY_WARNING
from podium.bootstrap import Podium
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner
from tests.e2e.rooms import generate_tokens, schedule


def read(client: TestClient, owner: Caller, room: Json) -> Json:
    return expect(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 200)


def test_token_access_with_the_phone_gateway_is_saved_with_a_warning(client: TestClient) -> None:
    """POST /rooms answers 201 with the warning, and every read of the room repeats it."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="token", phone_gateway=True)
    assert (room["access_type"], room["phone_gateway"]) == ("token", True)
    assert room["warnings"] == [PHONE_GATEWAY_WARNING]
    assert "listener PIN" in room["warnings"][0]
    assert read(client, owner, room)["warnings"] == [PHONE_GATEWAY_WARNING]
    listed = expect(client.get("/rooms", headers=owner.headers), 200)["rooms"]
    assert [r["warnings"] for r in listed] == [[PHONE_GATEWAY_WARNING]]


def test_edits_into_and_out_of_the_pair_say_so(client: TestClient) -> None:
    """An edit that makes the pair is saved with the warning; turning one off clears it."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, phone_gateway=True)
    assert room["warnings"] == []
    path = f"/rooms/{room['room_id']}"
    edited = expect(client.patch(path, json={"access_type": "token"}, headers=owner.headers), 200)
    assert edited["changed"] == ["access_type"]
    assert edited["warnings"] == [PHONE_GATEWAY_WARNING]
    off = expect(client.patch(path, json={"phone_gateway": False}, headers=owner.headers), 200)
    assert off["warnings"] == []
    assert read(client, owner, room)["warnings"] == []


def test_the_docs_describe_the_warning(client: TestClient) -> None:
    """/docs' POST /rooms and PATCH texts explain the pair, and the room schema has warnings."""
    document = client.get("/openapi.json").json()
    create = document["paths"]["/rooms"]["post"]["description"]
    edit = document["paths"]["/rooms/{room_id}"]["patch"]["description"]
    for text in (create, edit):
        assert "warnings" in text
        assert "listener PIN" in text
    schema = document["components"]["schemas"]["Room"]
    assert "warnings" in schema["required"]
    assert schema["properties"]["warnings"]["type"] == "array"


def test_an_autologin_hash_without_a_token_asks_for_it_at_the_door(
    client: TestClient, podium: Podium
) -> None:
    """A listener's hash for a token room is made without a token; entering with it still
    needs a valid token, which becomes that person's."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="token", phone_gateway=True)
    [token, spare] = generate_tokens(client, owner, room, 2)
    path = f"/rooms/{room['room_id']}/autologin-hashes"
    ann = {"email": "ann@example.com", "nickname": "Ann", "role": "listener"}
    value = expect(client.post(path, json=ann, headers=owner.headers), 200)["autologin_hash"]
    door = f"/rooms/{room['room_id']}/join"

    before = head(podium)
    missing = problem(client.post(door, json={"autologin": value}), 403)["detail"]
    assert missing == "this event needs an access token"
    wrong = problem(client.post(door, json={"autologin": value, "token": "NOPE42"}), 403)
    assert "token is not valid" in wrong["detail"]
    assert head(podium) == before

    admitted = expect(client.post(door, json={"autologin": value, "token": token}), 200)
    assert (admitted["nickname"], admitted["role"]) == ("Ann", "listener")
    listed = expect(client.get(f"{door[:-5]}/admissions", headers=owner.headers), 200)
    assert [(a["email"], a["via"]) for a in listed["admissions"]] == [("ann@example.com", "token")]

    bob = ann | {"email": "bob@example.com", "nickname": "Bob"}
    other = expect(client.post(path, json=bob, headers=owner.headers), 200)["autologin_hash"]
    taken = problem(client.post(door, json={"autologin": other, "token": token}), 403)
    assert taken["detail"] == "this token has already been used by someone else"
    expect(client.post(door, json={"autologin": other, "token": spare}), 200)


def test_a_hash_made_with_its_token_stands_on_its_own(client: TestClient) -> None:
    """A listener's hash made with a token admits without presenting it again."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="token")
    [token] = generate_tokens(client, owner, room, 1)
    path = f"/rooms/{room['room_id']}/autologin-hashes"
    ann = {"email": "ann@example.com", "nickname": "Ann", "role": "listener", "token": token}
    value = expect(client.post(path, json=ann, headers=owner.headers), 200)["autologin_hash"]
    expect(client.post(f"/rooms/{room['room_id']}/join", json={"autologin": value}), 200)


def test_a_presenters_hash_needs_no_token(client: TestClient) -> None:
    """Tokens are for listeners: a presenter's hash for a token room admits on its own."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="token")
    path = f"/rooms/{room['room_id']}/autologin-hashes"
    who = {"email": "pia@example.com", "nickname": "Pia", "role": "presenter"}
    value = expect(client.post(path, json=who, headers=owner.headers), 200)["autologin_hash"]
    joined = client.post(f"/rooms/{room['room_id']}/join", json={"autologin": value})
    assert expect(joined, 200)["role"] == "presenter"


def test_a_hash_made_before_the_mark_existed_still_stands_on_its_own(
    client: TestClient, podium: Podium
) -> None:
    """A four-member hash (made and checked before tokenless hashes existed) admits as before."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="token")
    payload = orjson.dumps([UUID(room["room_id"]).hex, "old@example.com", "Old", "listener"])
    signed = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    mac = hmac.new(podium.join._key, signed.encode(), "sha256").hexdigest()[:32]
    door = f"/rooms/{room['room_id']}/join"
    admitted = expect(client.post(door, json={"autologin": f"{signed}.{mac}"}), 200)
    assert (admitted["nickname"], admitted["role"]) == ("Old", "listener")
