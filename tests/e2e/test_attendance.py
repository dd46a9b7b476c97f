"""After a session: the attendance read model, the panel's reports and the v1 session API.

A scripted session: four people join from different browsers, systems and addresses (one
with a country hint), chat, ask, click a call to action, one leaves and comes back from a
phone, a caller dials in, the session ends. Then the panel's and ClickMeeting's endpoints are
read raw, the chat zip is opened, and the attendance model is rebuilt and compared.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.dial_in import SECRET, Phone, phone_room
from tests.e2e.engagement import Person
from tests.e2e.helpers import Caller, Json, expect, problem, trial_owner
from tests.e2e.rooms import query_of, register, schedule
from tests.e2e.test_live_polls import QUIZ
from tests.e2e.test_live_sessions import end, start
from tests.v1.helpers import ISO, error

WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
MAC_FIREFOX = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0"
ANDROID_TABLET = (
    "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)
ORDER = {
    "attendance_sessions": "session_ref",
    "attendances": "position",
    "attendance_joins": "position",
    "attendance_calls": "call_id",
    "attendance_polls": "poll_id",
    "attendance_poll_answers": "answer_id",
}
TABLES = tuple(ORDER)


@pytest.fixture(autouse=True)
def gateway_on(podium: Podium) -> None:
    podium.settings.telephony_secret = SECRET


def join_from(
    client: TestClient, room: Json, email: str, user_agent: str, ip: str, **presented: Any
) -> Person:
    """Join as a browser at ``ip`` would: its User-Agent header, its address as the peer."""
    body = {"nickname": email.split("@")[0].title(), "email": email} | presented
    browser = TestClient(client.app, client=(ip, 50000))
    response = browser.post(
        f"/rooms/{room['room_id']}/join", json=body, headers={"User-Agent": user_agent}
    )
    return Person(email, expect(response, 200)["credential"])


def dump(podium: Podium) -> dict[str, list[dict[str, Any]]]:
    return {
        table: podium.read_store.query(
            f"SELECT * FROM {table} ORDER BY {ORDER[table]}"  # noqa: S608 - names are ours
        )
        for table in TABLES
    }


def scripted_session(client: TestClient, podium: Podium, clock: ManualClock) -> tuple[Caller, Json]:
    """The session described above; the owner and the room."""
    owner = trial_owner(client, "owner@example.com")
    room = phone_room(client, owner, seats=10)
    start(client, owner, room)
    ann = join_from(client, room, "ann@example.com", WINDOWS_CHROME, "81.2.69.142")
    bob = join_from(client, room, "bob@example.com", IPHONE_SAFARI, "5.172.255.1")
    role = query_of(room["role_links"]["presenter"])["role"]
    cara = join_from(
        client, room, "cara@example.com", MAC_FIREFOX, "8.8.8.8", role_hash=role, country="de"
    )
    dan = join_from(client, room, "dan@example.com", ANDROID_TABLET, "192.0.2.1")
    path = f"/rooms/{room['room_id']}"

    clock.advance(timedelta(minutes=10))
    for text in ("Hello!", "Line one\nline two"):
        expect(client.post(f"{path}/chat/messages", json={"text": text}, headers=ann.headers), 201)
    expect(client.post(f"{path}/questions", json={"text": "Slides?"}, headers=bob.headers), 201)
    cta = {
        "description": "Buy now",
        "button_text": "Buy",
        "url": "https://example.com",
        "minutes": 5,
    }
    shown = expect(client.post(f"{path}/ctas", json=cta, headers=cara.headers), 201)
    click = f"{path}/ctas/{shown['cta_id']}/click"
    expect(client.post(click, headers=ann.headers), 200)
    expect(client.post(click, headers=ann.headers), 200)
    # A test: Ann answers wrong, then right (2 points); Bob wrong; Dan too late.
    quiz = expect(client.post(f"{path}/polls", json=QUIZ, headers=cara.headers), 201)
    polls = f"{path}/polls/{quiz['poll_id']}"
    expect(client.post(f"{polls}/open", headers=cara.headers), 200)
    for who, choice in ((ann, "c1"), (ann, "c2"), (bob, "c1")):
        given = {"question_id": "q1", "choices": [choice]}
        expect(client.post(f"{polls}/answers", json=given, headers=who.headers), 200)
    expect(client.post(f"{polls}/close", headers=cara.headers), 200)
    late = {"question_id": "q1", "choices": ["c2"]}
    assert client.post(f"{polls}/answers", json=late, headers=dan.headers).status_code == 409

    clock.advance(timedelta(minutes=10))  # +20: Bob leaves, and is back from a phone at +25
    expect(client.post(f"{path}/leave", json={"credential": bob.credential}), 200)
    clock.advance(timedelta(minutes=5))
    join_from(client, room, "bob@example.com", ANDROID_PHONE, "5.172.255.2")

    clock.advance(timedelta(minutes=5))  # +30: a caller dials in for ten minutes
    phone = Phone(client, podium, "CA-attendance", "+48 600 100 301")
    phone.dial()
    phone.pin(room["phone_listener_pin"])
    clock.advance(timedelta(minutes=10))
    phone.hang_up()

    clock.advance(timedelta(minutes=20))  # +60: the end, with Ann, Bob, Cara and Dan still in
    end(client, owner, room)
    # Rated at exit: Ann with a comment, Bob twice (the second replaces the first).
    for who, stars, comment in ((ann, 5, "  Great session "), (bob, 2, None), (bob, 3, "")):
        rating = {"credential": who.credential, "rating": stars, "comment": comment}
        expect(client.post(f"{path}/rating", json=rating), 200)
    return owner, room


def by_email(rows: list[Json]) -> dict[str | None, Json]:
    return {row["email"]: row for row in rows}


def test_the_panel_reports_who_came_from_where_on_what_and_did_what(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Browser, system, device and country come from User-Agent and address (a hint wins);
    time present sums visits and stops at the session's end; counts and the call are there."""
    owner, room = scripted_session(client, podium, clock)
    path = f"/rooms/{room['room_id']}/sessions/1"
    report = expect(client.get(f"{path}/report", headers=owner.headers), 200)
    assert (report["total_visitors"], report["max_visitors"]) == (5, 5)
    rows = expect(client.get(f"{path}/attendees", headers=owner.headers), 200)["attendees"]
    people = by_email(rows)
    ann, bob, cara, dan = (people[f"{n}@example.com"] for n in ("ann", "bob", "cara", "dan"))
    assert (ann["browser"], ann["os"], ann["device"], ann["country"]) == (
        "Chrome 120", "Windows 10", "desktop", "GB",
    )  # fmt: skip
    assert (ann["chat_messages"], ann["ctas_clicked"], ann["questions"]) == (2, 1, 0)
    assert (ann["poll_answers"], ann["poll_points"]) == (1, 2)
    assert (bob["poll_answers"], bob["poll_points"], dan["poll_answers"]) == (1, 0, 0)
    assert ann["seconds_present"] == 3600
    assert ann["ip"] == "81.2.69.142"
    # Bob: an iPhone in Poland for 20 minutes, then an Android phone for 35.
    assert [(j["kind"], j["device"], j["country"]) for j in bob["joins"]] == [
        ("admitted", "mobile", "PL"),
        ("reentered", "mobile", "PL"),
    ]
    assert [j["os"] for j in bob["joins"]] == ["iOS 17.0", "Android 14"]
    assert bob["seconds_present"] == 20 * 60 + 35 * 60
    assert bob["questions"] == 1
    assert (cara["role"], cara["country"], cara["joins"][0]["country_from"]) == (
        "presenter", "DE", "hint",
    )  # fmt: skip
    assert cara["joins"][0]["browser"] == "Firefox 121"
    assert (dan["device"], dan["country"], dan["joins"][0]["country_from"]) == ("tablet", "", "")
    phone = next(row for row in rows if row["caller"] is not None)
    assert (phone["caller"], phone["call_seconds"], phone["email"]) == (
        "+48 600 100 301",
        600,
        None,
    )
    assert phone["seconds_present"] == 600
    assert all(not row["present"] for row in rows)


def test_the_v1_session_endpoints_speak_clickmeetings_wire_format(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """sessions, session detail, attendees, session registrations: the reference's keys and
    types; unknown ids and another account's session are ClickMeeting's 404."""
    owner, room = scripted_session(client, podium, clock)
    headers = {"X-Api-Key": owner.key}
    base = f"/v1/conferences/{room['number']}"
    listed = client.get(f"{base}/sessions.json", headers=headers)
    assert listed.headers["content-type"].startswith("application/json")
    sessions = listed.json()
    assert len(sessions) == 1
    summary = sessions[0]
    assert set(summary) == {"id", "total_visitors", "max_visitors", "start_date", "end_date"}
    assert isinstance(summary["id"], int)
    assert (summary["total_visitors"], summary["max_visitors"]) == (5, 5)
    assert ISO.match(summary["start_date"])
    assert ISO.match(summary["end_date"])
    sid = summary["id"]

    detail = client.get(f"{base}/sessions/{sid}", headers=headers).json()
    assert set(detail) == {
        "total_visitors", "max_visitors", "start_date", "end_date", "attendees", "pdf",
    }  # fmt: skip
    assert set(detail["pdf"]) == {"en", "pl", "ru", "de", "es"}
    assert detail["pdf"]["pl"]["generate_pdf_url"].endswith(
        f"/v1/conferences/{room['number']}/sessions/{sid}/generate-pdf/pl"
    )
    assert {a["login"] for a in detail["attendees"]} >= {"Ann", "Bob", "Cara", "Dan"}

    attendees = client.get(f"{base}/sessions/{sid}/attendees", headers=headers).json()
    assert len(attendees) == 5
    keys = {
        "uid", "role", "nickname", "email", "device", "rating", "rating_comment",
        "start_date", "end_date", "user_ip",
    }  # fmt: skip
    assert all(set(a) == keys for a in attendees)
    assert all(isinstance(a["uid"], str) and a["uid"].isdigit() for a in attendees)
    ann = by_email(attendees)["ann@example.com"]
    assert (ann["device"], ann["user_ip"], ann["role"]) == (
        WINDOWS_CHROME, "81.2.69.142", "listener",
    )  # fmt: skip
    assert (ann["rating"], ann["rating_comment"]) == ("5", "Great session")
    assert (
        by_email(attendees)["bob@example.com"]["rating"],
        by_email(attendees)["dan@example.com"]["rating"],
    ) == ("3", None)
    assert by_email(attendees)["bob@example.com"]["rating_comment"] is None
    assert ann["end_date"] == summary["end_date"]
    bob = by_email(attendees)["bob@example.com"]
    assert (bob["device"], bob["user_ip"]) == (ANDROID_PHONE, "5.172.255.2")  # the latest join
    assert by_email(attendees)[None]["device"] == "phone"

    assert client.get(f"{base}/sessions/{sid}/registrations", headers=headers).json() == []
    error(client.get(f"{base}/sessions/{sid + 1}/attendees", headers=headers), 404)
    error(client.get(f"{base}/sessions/{sid}/registrations/everyone", headers=headers), 422)
    stranger = trial_owner(client, "stranger@example.com")
    error(client.get(f"{base}/sessions/{sid}", headers={"X-Api-Key": stranger.key}), 404)
    error(client.get(f"/v1/chats/{sid}", headers={"X-Api-Key": stranger.key}), 404)
    problem(
        client.get(f"/rooms/{room['room_id']}/sessions/1/attendees", headers=stranger.headers), 404
    )
    problem(client.get(f"/rooms/{room['room_id']}/sessions/2/report", headers=owner.headers), 404)
    rating = f"/rooms/{room['room_id']}/rating"
    problem(client.post(rating, json={"credential": "forged.x", "rating": 5}), 403)
    attendee = expect(
        client.get(f"/rooms/{room['room_id']}/sessions/1/attendees", headers=owner.headers), 200
    )
    credential = join_from(client, room, "eve@example.com", WINDOWS_CHROME, "81.2.69.1").credential
    for bad in (0, 6, "5", True):
        problem(client.post(rating, json={"credential": credential, "rating": bad}), 422)
    long_comment = {"credential": credential, "rating": 4, "comment": "x" * 1001}
    problem(client.post(rating, json=long_comment), 422)
    assert len(attendee["attendees"]) == 5


def test_the_chat_history_downloads_as_a_zip_of_text(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """GET chats lists the session; chats/{id} is an attachment zip holding every message."""
    owner, room = scripted_session(client, podium, clock)
    headers = {"X-Api-Key": owner.key}
    chats = client.get("/v1/chats", headers=headers).json()
    assert len(chats) == 1
    entry = chats[0]
    assert {"name", "time_zone", "date", "time", "download_link"} <= set(entry)
    assert (entry["name"], entry["time_zone"], entry["date"], entry["time"]) == (
        "Product Launch", "UTC", "2026-10-15", "09:00:00",
    )  # fmt: skip
    assert entry["download_link"].endswith(f"/v1/chats/{entry['id']}")

    download = client.get(f"/v1/chats/{entry['id']}.json", headers=headers)
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    stem = f"chat_history_{entry['id']}_20261015_090000"
    assert download.headers["content-disposition"] == f"attachment; filename={stem}.zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert archive.namelist() == [f"{stem}.txt"]
        text = archive.read(f"{stem}.txt").decode()
    lines = text.splitlines()
    assert lines[1] == "[2026-10-15 09:10:00] Ann (listener) to all: Hello!"
    assert lines[2] == "[2026-10-15 09:10:00] Ann (listener) to all: Line one line two"
    assert len(lines) == 3

    panel = client.get(f"/rooms/{room['room_id']}/sessions/1/chat-history", headers=headers)
    assert panel.headers["content-type"] == "application/zip"
    assert panel.headers["content-disposition"] == f"attachment; filename={stem}.zip"
    with zipfile.ZipFile(io.BytesIO(panel.content)) as archive:
        assert archive.read(f"{stem}.txt").decode() == text
    problem(client.get(f"/rooms/{room['room_id']}/sessions/2/chat-history", headers=headers), 404)


def test_the_attendance_model_equals_a_fresh_rebuild(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Dropped and projected again from the log, every attendance table is the same."""
    scripted_session(client, podium, clock)
    podium.projector.catch_up()
    live = dump(podium)
    assert len(live["attendances"]) == 5
    podium.projector.rebuild("attendance")
    assert dump(podium) == live


def test_each_session_of_a_permanent_room_has_its_own_report_and_registrations(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Two sessions, two ids, their own visitors; a session's registrations are the room's
    made before it ended, with its id."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(
        client, owner, permanent=True, starts_at=None, attendee_limit=5, registration_enabled=True
    )
    register(client, room, "ann@example.com")
    start(client, owner, room)
    join_from(client, room, "ann@example.com", WINDOWS_CHROME, "81.2.69.142")
    clock.advance(timedelta(minutes=30))
    end(client, owner, room)
    clock.advance(timedelta(days=1))
    register(client, room, "bob@example.com")
    start(client, owner, room)
    join_from(client, room, "ann@example.com", IPHONE_SAFARI, "5.172.255.1")
    join_from(client, room, "bob@example.com", MAC_FIREFOX, "8.8.8.8")

    headers = {"X-Api-Key": owner.key}
    base = f"/v1/conferences/{room['number']}"
    first, second = client.get(f"{base}/sessions", headers=headers).json()
    assert first["id"] < second["id"]
    assert (first["total_visitors"], second["total_visitors"]) == (1, 2)
    assert second["end_date"] is None  # still running
    ann_then = client.get(f"{base}/sessions/{first['id']}/attendees", headers=headers).json()
    assert [(a["email"], a["user_ip"]) for a in ann_then] == [("ann@example.com", "81.2.69.142")]
    now = client.get(f"{base}/sessions/{second['id']}/attendees", headers=headers).json()
    assert [a["end_date"] for a in now] == [None, None]  # still in
    registered = client.get(f"{base}/sessions{first['id']}/registrations/all", headers=headers)
    assert [(r["email"], r["session_id"]) for r in registered.json()] == [
        ("ann@example.com", first["id"])
    ]
    both = client.get(f"{base}/sessions/{second['id']}/registrations", headers=headers).json()
    assert sorted(r["email"] for r in both) == ["ann@example.com", "bob@example.com"]
    panel = f"/rooms/{room['room_id']}/sessions/2/attendees"
    rows = expect(client.get(panel, headers=owner.headers), 200)["attendees"]
    assert [(r["email"], r["present"], r["seconds_present"]) for r in rows] == [
        ("ann@example.com", True, 0),
        ("bob@example.com", True, 0),
    ]
    clock.advance(timedelta(minutes=5))
    rows = expect(client.get(panel, headers=owner.headers), 200)["attendees"]
    assert [r["seconds_present"] for r in rows] == [300, 300]  # an open visit counts up to now
