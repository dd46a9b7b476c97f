"""Autologin hashes, invitations, tokens and registrations, in each client's encoding."""

from __future__ import annotations

from uuid import UUID

from fastapi.testclient import TestClient

from commands.join import JoinRequest
from domain.room import FormField
from podium.bootstrap import Podium
from tests.v1.helpers import (
    REGISTRATION_KEYS,
    TOKEN,
    api_key,
    body,
    create,
    error,
    php_headers,
)

TOKEN_ROOM = "name=Tokens&room_type=webinar&permanent_room=1&access_type=3"
PASSWORD_ROOM = "name=Secret&room_type=meeting&permanent_room=1&access_type=2&password=pw"
REGISTRATION_ROOM = (
    "name=Launch&room_type=webinar&permanent_room=1&access_type=1&registration%5Benabled%5D=1"
)
JOHN = "registration%5B1%5D=John&registration%5B2%5D=Dee&registration%5B3%5D=john%40example.com"


def room_id(podium: Podium, number: int) -> UUID:
    row = podium.views.rooms.by_number(number)
    assert row is not None
    return UUID(row["room_id"])


def test_autologin_hash_lets_its_holder_in_with_the_role(
    client: TestClient, podium: Podium
) -> None:
    """A presenter's hash from the PHP form admits that person as presenter."""
    key = api_key(podium)
    room = create(client, key)
    form = "email=ann%40example.com&nickname=Ann&role=presenter"
    path = f"/v1/conferences/{room['id']}/room/autologin_hash.json"
    found = body(client.post(path, content=form, headers=php_headers(key)), 200)
    assert set(found) == {"autologin_hash"}
    assert isinstance(found["autologin_hash"], str)
    admitted = podium.join.admit(
        room_id(podium, room["id"]), JoinRequest("", "", autologin=found["autologin_hash"])
    )
    assert admitted.body["role"] == "presenter"


def test_autologin_hash_checks_password_and_token(client: TestClient, podium: Podium) -> None:
    """A listener's hash needs the room's password (type 2) or a valid token (type 3)."""
    key = api_key(podium)
    secret = create(client, key, PASSWORD_ROOM)
    path = f"/v1/conferences/{secret['id']}/room/autologin_hash"
    listener = "email=bob%40example.com&nickname=Bob&role=listener"
    error(client.post(path, content=listener, headers=php_headers(key)), 422)
    ok = client.post(path, content=listener + "&password=pw", headers=php_headers(key))
    assert body(ok, 200)["autologin_hash"]
    tokens = create(client, key, TOKEN_ROOM)
    generated = client.post(
        f"/v1/conferences/{tokens['id']}/tokens", content="how_many=1", headers=php_headers(key)
    )
    token = body(generated, 200)["access_tokens"][0]["token"]
    path = f"/v1/conferences/{tokens['id']}/room/autologin_hash"
    assert body(
        client.post(path, content=f"{listener}&token={token}", headers=php_headers(key)), 200
    )
    other = f"email=eve%40example.com&nickname=Eve&role=listener&token={token}"
    error(client.post(path, content=other, headers=php_headers(key)), 422)
    error(
        client.post(path, content="email=x%40y.io&nickname=X&role=boss", headers=php_headers(key)),
        422,
    )


def test_tokens_generated_and_listed(client: TestClient, podium: Podium) -> None:
    """POST tokens answers only the new ones; GET lists all with the reference's keys."""
    key = api_key(podium)
    room = create(client, key, TOKEN_ROOM)
    path = f"/v1/conferences/{room['id']}/tokens.json"
    fresh = body(client.post(path, content="how_many=3", headers=php_headers(key)), 200)
    assert set(fresh) == {"access_tokens"}
    assert len(fresh["access_tokens"]) == 3
    for token in fresh["access_tokens"]:
        assert set(token) == {"token", "sent_to_email", "first_use_date"}
        assert TOKEN.match(token["token"])
        assert token["sent_to_email"] is None
        assert token["first_use_date"] is None
    more = body(client.post(path, content="how_many=2", headers=php_headers(key)), 200)
    listed = body(client.get(path, headers={"X-Api-Key": key}), 200)["access_tokens"]
    assert {t["token"] for t in listed} == {
        t["token"] for t in fresh["access_tokens"] + more["access_tokens"]
    }


def test_tokens_refused_where_they_make_no_sense(client: TestClient, podium: Podium) -> None:
    """An open room has no tokens; how_many must be 1 to 1000."""
    key = api_key(podium)
    open_room = create(client, key)
    path = f"/v1/conferences/{open_room['id']}/tokens"
    error(client.post(path, content="how_many=2", headers=php_headers(key)), 422)
    token_room = create(client, key, TOKEN_ROOM)
    path = f"/v1/conferences/{token_room['id']}/tokens"
    for form, field in (("how_many=0", "how_many"), ("", "how_many"), ("how_many=x", "how_many")):
        found = error(client.post(path, content=form, headers=php_headers(key)), 422)
        assert found["errors"][0]["name"] == field


def test_php_invitations_with_indexed_attendees(client: TestClient, podium: Podium) -> None:
    """``attendees[0][email]``, role and template: status OK and a mail to each invitee."""
    key = api_key(podium)
    room = create(client, key)
    form = (
        "attendees%5B0%5D%5Bemail%5D=ann%40example.com&attendees%5B1%5D%5Bemail%5D=bob%40example.com"
        "&role=presenter&template=advanced"
    )
    path = f"/v1/conferences/{room['id']}/invitation/email/en.json"
    assert body(client.post(path, content=form, headers=php_headers(key)), 200) == {"status": "OK"}
    for email in ("ann@example.com", "bob@example.com"):
        assert [m["purpose"] for m in podium.views.outbox.to(email)] == ["invitation"]


def test_python_and_go_invitations_to_a_token_room(client: TestClient, podium: Podium) -> None:
    """Python's ``attendees%5B%5D%5Bemail%5D`` (lang ``us``) and Go's repeated key, no type."""
    key = api_key(podium)
    room = create(client, key, TOKEN_ROOM)
    python = "attendees%5B%5D%5Bemail%5D=ann%40example.com&template=advanced&role=listener"
    path = f"/v1/conferences/{room['id']}/invitation/email/us.json"
    assert body(client.post(path, content=python, headers=php_headers(key)), 200) == {
        "status": "OK"
    }
    go = "attendees%5B%5D%5Bemail%5D=bob%40example.com&attendees%5B%5D%5Bemail%5D=cy%40example.com"
    path = f"/v1/conferences/{room['id']}/invitation/email/ru.json"
    assert body(client.post(path, content=go, headers={"X-Api-Key": key}), 200) == {"status": "OK"}
    listed = body(
        client.get(f"/v1/conferences/{room['id']}/tokens", headers={"X-Api-Key": key}), 200
    )
    sent = {t["sent_to_email"] for t in listed["access_tokens"]}
    assert sent == {"ann@example.com", "bob@example.com", "cy@example.com"}


def test_bad_invitations_are_422(client: TestClient, podium: Podium) -> None:
    """No attendees, an invalid address or an unknown role is a 422."""
    key = api_key(podium)
    room = create(client, key)
    path = f"/v1/conferences/{room['id']}/invitation/email/en"
    for form in (
        "role=listener",
        "attendees%5B0%5D%5Bemail%5D=not-an-address",
        "attendees%5B0%5D%5Bemail%5D=a%40example.com&role=host",
    ):
        error(client.post(path, content=form, headers=php_headers(key)), 422)


def test_registration_and_its_listings(client: TestClient, podium: Podium) -> None:
    """Register as PHP does; every listing shows the reference's registration object."""
    key = api_key(podium)
    room = create(client, key, REGISTRATION_ROOM)
    form = JOHN + "&confirmation_email%5Benabled%5D=1&confirmation_email%5Blang%5D=en"
    path = f"/v1/conferences/{room['id']}/registration.json"
    answer = body(client.post(path, content=form, headers=php_headers(key)), 200)
    assert set(answer) == {"status", "exist", "url", "r"}
    assert (answer["status"], answer["exist"]) == ("OK", 1)
    assert answer["url"] == f"{room['room_url']}?r={answer['r']}"
    assert [m["purpose"] for m in podium.views.outbox.to("john@example.com")] == ["registration"]
    headers = {"X-Api-Key": key}
    base = f"/v1/conferences/{room['id']}"
    for listing in (
        f"{base}/registrations/all.json",
        f"{base}/registrations",
        f"{base}/registrations/active/",
    ):
        [registration] = body(client.get(listing, headers=headers), 200)
        assert set(registration) == REGISTRATION_KEYS
        assert type(registration["id"]) is int
        assert registration["visitor_nickname"] == "John Dee"
        assert registration["registration_confirmed"] == "null"
        assert registration["session_id"] is None
        assert registration["http_referer"] is None
        assert registration["geo"] == {"country": None, "city": None}
        assert registration["fields"] == {
            "First Name": "John",
            "Last Name": "Dee",
            "Email Address": "john@example.com",
        }
        assert (registration["url"], registration["r"]) == (answer["url"], answer["r"])
    again = body(client.post(path, content=JOHN, headers=php_headers(key)), 200)
    assert again["r"] == answer["r"]


def test_session_registrations_including_the_example_clients_typo(
    client: TestClient, podium: Podium
) -> None:
    """``sessions/{sid}/registrations`` and ``sessions{sid}/registrations/all`` both route; a
    session id of no session of the room is ClickMeeting's 404 (real sessions: test_sessions)."""
    key = api_key(podium)
    room = create(client, key, REGISTRATION_ROOM)
    client.post(
        f"/v1/conferences/{room['id']}/registration", content=JOHN, headers=php_headers(key)
    )
    headers = {"X-Api-Key": key}
    base = f"/v1/conferences/{room['id']}"
    for path in (
        f"{base}/sessions/5342110/registrations",
        f"{base}/sessions/5342110/registrations/all.json",
        f"{base}/sessions5342110/registrations/all.json",
        f"{base}/sessions5342110/registrations/active/",
    ):
        assert error(client.get(path, headers=headers), 404)["errors"][0]["name"] == "session_id"
    error(client.get(f"{base}/registrations/everyone.json", headers=headers), 422)


def test_registration_custom_fields_follow_the_form_order(
    client: TestClient, podium: Podium
) -> None:
    """``registration[4]`` answers the form's first custom field; an unknown id is a 422."""
    key = api_key(podium)
    room = create(client, key, REGISTRATION_ROOM)
    row = podium.views.rooms.by_number(room["id"])
    assert row is not None
    fields = (FormField("Company", required=True), FormField("Role"))
    podium.rooms.edit(
        UUID(row["account_id"]), UUID(row["room_id"]), {"registration_fields": fields}
    )
    podium.projector.catch_up()
    path = f"/v1/conferences/{room['id']}/registration"
    error(client.post(path, content=JOHN + "&registration%5B9%5D=x", headers=php_headers(key)), 422)
    error(client.post(path, content=JOHN, headers=php_headers(key)), 422)
    form = JOHN + "&registration%5B4%5D=Acme&registration%5B5%5D=CTO"
    body(client.post(path, content=form, headers=php_headers(key)), 200)
    [registration] = body(
        client.get(f"/v1/conferences/{room['id']}/registrations/all", headers={"X-Api-Key": key}),
        200,
    )
    assert registration["fields"]["Company"] == "Acme"
    assert registration["fields"]["Role"] == "CTO"


def test_bad_registrations_are_422(client: TestClient, podium: Podium) -> None:
    """A missing or invalid email, or a room without registration, is refused."""
    key = api_key(podium)
    room = create(client, key, REGISTRATION_ROOM)
    path = f"/v1/conferences/{room['id']}/registration"
    missing = "registration%5B1%5D=John&registration%5B2%5D=Dee"
    assert (
        error(client.post(path, content=missing, headers=php_headers(key)), 422)["errors"][0][
            "name"
        ]
        == "registration[3]"
    )
    invalid = missing + "&registration%5B3%5D=john"
    error(client.post(path, content=invalid, headers=php_headers(key)), 422)
    closed = create(client, key)
    error(
        client.post(
            f"/v1/conferences/{closed['id']}/registration", content=JOHN, headers=php_headers(key)
        ),
        422,
    )
