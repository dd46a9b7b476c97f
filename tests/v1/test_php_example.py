"""ClickMeeting's own PHP example (DevZone ``API/examples/PHP/example.php``), call by call.

The calls, their order and their parameters follow that script and its ``ClickMeetingRestClient``
(``sendRequest``): the path gets ``.json`` appended (after the query string too), the key goes
in ``X-Api-Key:`` without a space, bodies are ``http_build_query`` of the PHP array (``true`` is
``1``, nested keys as ``a%5Bb%5D``), POST adds an empty ``Expect:``, and curl asks for gzip.
The script itself stops at its first exception (the first 501, the session PDF); every call is
made and its answer checked, so what Podium supports is proven and what comes with the live room
answers 501 with ClickMeeting's error body. The script never enters the room; entering with its
autologin hash, which asks for a token there, is added at the end.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from httpx import Response

from podium.bootstrap import Podium
from tests.v1.helpers import FORM, TOKEN, api_key, body, check_room, error

# $params of addConference, as http_build_query encodes it.
CREATE = (
    "lobby_enabled=1&lobby_description=My+meeting&name=test_room&room_type=meeting"
    "&permanent_room=0&access_type=3&registration%5Btemplate%5D=1&registration%5Benabled%5D=1"
    "&settings%5Bshow_on_personal_page%5D=1&settings%5Bthank_you_emails_enabled%5D=1"
    "&settings%5Bconnection_tester_enabled%5D=1&settings%5Bphonegateway_enabled%5D=1"
    "&settings%5Brecorder_autostart_enabled%5D=1&settings%5Broom_invite_button_enabled%5D=1"
    "&settings%5Bsocial_media_sharing_enabled%5D=1&settings%5Bconnection_status_enabled%5D=1"
    "&settings%5Bthank_you_page_url%5D=http%3A%2F%2Fexample.com%2Fthank_you.html"
)
CONTACT = (
    "email=example%40domain.com&firstname=John&lastname=Dee&phone=%2B1234567890"
    "&company=My+company&country=US"
)
AUTOLOGIN = "email=email%40domain.com&nickname=my_nickname&role=listener"
INVITATION = "attendees%5B0%5D%5Bemail%5D=example%40domain.com&template=advanced&role=listener"
REGISTRATION = (
    "registration%5B1%5D=John&registration%5B2%5D=Dee&registration%5B3%5D=example%40domain.com"
    "&confirmation_email%5Benabled%5D=1&confirmation_email%5Blang%5D=en"
)
EXISTING_ROOM, EXISTING_SESSION, RECORDING = 123, 456, 123  # the script's placeholders
# addFileLibraryFile's exception leaves $file unset; any id stands in for $file->id.
FILE_ID = 1
BOUNDARY = "------------------------a1b2c3d4e5f60718"


class PhpClient:
    """``ClickMeetingRestClient`` as raw HTTP: its headers and encodings, nothing more."""

    def __init__(self, client: TestClient, key: str) -> None:
        self.client, self.key = client, key

    def send(self, method: str, path: str, form: str | None = None) -> Response:
        headers = {"X-Api-Key": self.key, "Accept-Encoding": "gzip,deflate"}
        if method == "POST":
            headers["Expect"] = ""
        if form is not None:
            headers["Content-Type"] = FORM  # curl's default for a string CURLOPT_POSTFIELDS
        response: Response = self.client.request(
            method, f"/v1/{path}.json", content=form, headers=headers
        )
        return response

    def upload(self, path: str, uploaded: str) -> Response:
        """The upload: PHP >= 5.6 sends '@/my/file.png' as a plain multipart field, no file."""
        content = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="uploaded"\r\n\r\n'
            f"{uploaded}\r\n--{BOUNDARY}--\r\n"
        )
        headers = {
            "X-Api-Key": self.key,
            "Accept-Encoding": "gzip,deflate",
            "Expect": "",
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        }
        response: Response = self.client.post(f"/v1/{path}.json", content=content, headers=headers)
        return response


def later(response: Response) -> None:
    """What comes with the live room: 501, ClickMeeting's error body, "Not Implemented"."""
    assert error(response, 501)["name"] == "Not Implemented"


def test_the_php_example_runs_call_by_call(client: TestClient, podium: Podium) -> None:
    """Every call of example.php answers as ClickMeeting would, or 501 for the live room."""
    php = PhpClient(client, api_key(podium))

    # Conferences: a token meeting with the phone gateway on is accepted (no warning in v1).
    conference = body(php.send("POST", "conferences", CREATE), 201)
    assert set(conference) == {"room"}
    room = check_room(conference["room"])
    room_id = room["id"]
    assert (room["name"], room["room_type"], room["access_type"]) == ("test_room", "meeting", 3)
    assert (room["lobby_enabled"], room["lobby_description"]) == (True, "My meeting")
    assert room["registration_enabled"] == 1
    assert room["settings"]["phonegateway_enabled"] is True
    assert room["settings"]["thank_you_page_url"] == "http://example.com/thank_you.html"

    got = body(php.send("GET", f"conferences/{room_id}"), 200)
    assert check_room(got["conference"]) == room
    listed = body(php.send("GET", "conferences/active?page=1"), 200)
    assert [check_room(r)["id"] for r in listed] == [room_id]
    edited = body(php.send("PUT", f"conferences/{room_id}", "name=new_test_room"), 200)
    assert check_room(edited["conference"])["name"] == "new_test_room"
    assert edited["conference"]["access_type"] == 3
    skins = body(php.send("GET", "conferences/skins"), 200)
    assert skins
    assert body(php.send("POST", "contacts", CONTACT), 200) == {"status": "OK"}

    # A listener's autologin hash without a token: issued (the token is asked for at entry).
    hashed = body(php.send("POST", f"conferences/{room_id}/room/autologin_hash", AUTOLOGIN), 200)
    assert set(hashed) == {"autologin_hash"}
    assert hashed["autologin_hash"]
    invited = php.send("POST", f"conferences/{room_id}/invitation/email/us", INVITATION)
    assert body(invited, 200) == {"status": "OK"}

    # Tokens: the two generated, and the one the invitation sent (a token room's invitee's).
    fresh = body(php.send("POST", f"conferences/{room_id}/tokens", "how_many=2"), 200)
    generated = [t["token"] for t in fresh["access_tokens"]]
    assert len(generated) == 2
    assert all(TOKEN.match(t) for t in generated)
    tokens = body(php.send("GET", f"conferences/{room_id}/tokens"), 200)["access_tokens"]
    assert {t["token"] for t in tokens} >= set(generated)
    assert [t["sent_to_email"] for t in tokens if t["token"] not in generated] == [
        "example@domain.com"
    ]

    # Sessions: none has run in the new room; the example's ids are of no room of this account.
    assert body(php.send("GET", f"conferences/{room_id}/sessions"), 200) == []
    error(php.send("GET", f"conferences/{EXISTING_ROOM}/sessions/{EXISTING_SESSION}"), 404)
    error(
        php.send("GET", f"conferences/{EXISTING_ROOM}/sessions/{EXISTING_SESSION}/attendees"), 404
    )
    pdf = f"conferences/{EXISTING_ROOM}/sessions/{EXISTING_SESSION}/generate-pdf/en"
    error(php.send("GET", pdf), 404)

    # Time zones and phone gateways.
    zones = body(php.send("GET", "time_zone_list"), 200)
    assert "Europe/Warsaw" in zones
    assert "America/New_York" in body(php.send("GET", "time_zone_list/us"), 200)
    gateways = body(php.send("GET", "phone_gateways"), 200)
    assert gateways

    # Registrations.
    registered = body(php.send("POST", f"conferences/{room_id}/registration", REGISTRATION), 200)
    assert (registered["status"], registered["exist"]) == ("OK", 1)
    assert registered["url"] == f"{edited['conference']['room_url']}?r={registered['r']}"
    registrations = body(php.send("GET", f"conferences/{room_id}/registrations/all"), 200)
    assert [r["email"] for r in registrations] == ["example@domain.com"]

    # File library and recordings: later; chats: none yet.
    later(php.upload("file-library", "@/my/file.png"))
    later(php.send("GET", "file-library"))
    later(php.send("GET", f"file-library/conferences/{room_id}"))
    later(php.send("GET", f"file-library/{FILE_ID}"))
    later(php.send("GET", f"file-library/{FILE_ID}/download"))
    later(php.send("DELETE", f"file-library/{FILE_ID}"))
    later(php.send("GET", f"conferences/{room_id}/recordings"))
    later(php.send("DELETE", f"conferences/{room_id}/recordings"))
    later(php.send("DELETE", f"conferences/{EXISTING_ROOM}/recordings/{RECORDING}"))
    assert body(php.send("GET", "chats"), 200) == []
    error(php.send("GET", f"chats/{EXISTING_SESSION}"), 404)

    assert body(php.send("DELETE", f"conferences/{room_id}"), 200) == {"result": "OK"}
    error(php.send("GET", f"conferences/{room_id}"), 404)


def test_the_examples_autologin_hash_asks_for_a_token_at_the_door(
    client: TestClient, podium: Podium
) -> None:
    """Entering with the example's tokenless hash needs a valid, unused token (403 without)."""
    php = PhpClient(client, api_key(podium))
    room = body(php.send("POST", "conferences", CREATE), 201)["room"]
    path = f"conferences/{room['id']}/room/autologin_hash"
    value = body(php.send("POST", path, AUTOLOGIN), 200)["autologin_hash"]
    fresh = body(php.send("POST", f"conferences/{room['id']}/tokens", "how_many=2"), 200)
    token, spare = (t["token"] for t in fresh["access_tokens"])
    public = client.get(urlsplit(room["room_url"]).path)  # the room URL, as anyone reads it
    door = f"/rooms/{body(public, 200)['room_id']}/join"

    def enter(**presented: Any) -> Response:
        response: Response = client.post(door, json={"autologin": value} | presented)
        return response

    assert enter().status_code == 403
    assert "access token" in enter().json()["detail"]
    assert "not valid" in enter(token="NOPE42").json()["detail"]
    admitted = body(enter(token=token), 200)
    assert (admitted["nickname"], admitted["role"]) == ("my_nickname", "listener")
    assert body(enter(token=token), 200)["nickname"] == "my_nickname"  # the same person again

    listed = body(php.send("GET", f"conferences/{room['id']}/tokens"), 200)["access_tokens"]
    used = {t["token"]: t["first_use_date"] for t in listed}
    assert used[token] is not None
    assert used[spare] is None
    other = "email=other%40domain.com&nickname=other&role=listener"
    second = body(php.send("POST", path, other), 200)["autologin_hash"]
    taken = client.post(door, json={"autologin": second, "token": token})
    assert taken.status_code == 403
    assert taken.json()["detail"] == "this token has already been used by someone else"
