"""The room page's files over HTTP (the page itself runs in Chromium: tests/browser/)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.e2e.helpers import problem, trial_owner
from tests.e2e.rooms import schedule


def test_the_page_of_a_room_is_served_with_a_policy_of_its_own(client: TestClient) -> None:
    """The page and its assets come from Podium's origin alone: no inline script, no framing."""
    room = schedule(client, trial_owner(client, "host@example.com"), permanent=True, starts_at=None)
    page = client.get(f"/live/{room['room_id']}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe" not in policy
    for asset in ("room.js", "media.js", "view.js", "room.css"):
        kind = "text/css" if asset.endswith(".css") else "text/javascript"
        answer = client.get(f"/live/assets/{asset}")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith(kind)
    assert "<script>" not in page.text  # the policy would refuse it: every script is a file


def test_no_page_for_what_is_no_room_and_no_stray_file(client: TestClient) -> None:
    """A room that does not exist is a 404, what is no room id a 422, any other file a 404."""
    problem(client.get("/live/00000000-0000-4000-8000-000000000000"), 404)
    problem(client.get("/live/not-a-room"), 422)
    problem(client.get("/live/assets/index.html"), 404)
    problem(client.get("/live/assets/..%2Fpyproject.toml"), 404)


def test_the_ice_servers_are_for_people_in_the_session(client: TestClient) -> None:
    """The page's TURN settings (they may carry credentials) need a join's credential."""
    room = schedule(client, trial_owner(client, "host@example.com"), permanent=True, starts_at=None)
    path = f"/live/{room['room_id']}/ice-servers"
    problem(client.get(path), 401)
    problem(client.get(path, headers={"Podium-Attendance": "forged.credential"}), 403)
    joined = client.post(
        f"/rooms/{room['room_id']}/join", json={"nickname": "Ann", "email": "ann@example.com"}
    )
    credential = joined.json()["credential"]
    answer = client.get(path, headers={"Podium-Attendance": credential})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"ice_servers": []}  # no TURN configured: host candidates only
