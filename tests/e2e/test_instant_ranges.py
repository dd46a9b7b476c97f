"""Every instant and duration a room accepts is bounded, so nothing derived from it overflows.

Each of these was once accepted (or answered 500) and then broke a read model for everyone.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.helpers import expect, problem, trial_owner
from tests.e2e.rooms import schedule
from tests.v1.helpers import FORM, api_key, error

FAR_AHEAD = ("9999-12-31T23:30:00", "UTC")
CALENDAR_START = ("0001-01-01T00:00:00", "Asia/Tokyo")  # no UTC instant: it is year 0 there
ELEVEN_YEARS = ("2037-10-16T10:00:00", "UTC")  # the clock stands at 2026-10-15


@pytest.mark.parametrize(("starts_at", "timezone"), [FAR_AHEAD, CALENDAR_START, ELEVEN_YEARS])
def test_a_start_out_of_range_is_refused_and_nothing_is_stored(
    client: TestClient, podium: Podium, starts_at: str, timezone: str
) -> None:
    """422 with the reason; the log has nothing more; health stays ok."""
    owner = trial_owner(client, "owner@example.com")
    head = podium.store.recorder.max_notification_id()
    body = {"name": "far", "starts_at": starts_at, "timezone": timezone}
    found = problem(client.post("/rooms", json=body, headers=owner.headers), 422)
    assert "starts_at" in found["detail"]
    assert podium.store.recorder.max_notification_id() == head
    assert expect(client.get("/health"), 200)["status"] == "ok"


def test_an_edit_cannot_move_a_room_out_of_range(client: TestClient, podium: Podium) -> None:
    """PATCH with a far start is refused the same way, and the room keeps its start."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    path = f"/rooms/{room['room_id']}"
    problem(client.patch(path, json={"starts_at": FAR_AHEAD[0]}, headers=owner.headers), 422)
    tokyo: dict[str, Any] = {"starts_at": CALENDAR_START[0], "timezone": CALENDAR_START[1]}
    problem(client.patch(path, json=tokyo, headers=owner.headers), 422)
    assert expect(client.get(path, headers=owner.headers), 200)["starts_at"] == room["starts_at"]


def test_ten_years_ahead_is_still_fine(client: TestClient) -> None:
    """The bound leaves room for any real plan: an event nine years out is scheduled."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, starts_at="2035-10-15T10:00:00")
    assert room["ends_at"].startswith("2035-10-15T11:00:00")


@pytest.mark.parametrize(
    "starts_at", ["9999-12-31+23%3A30%3A00", "0001-01-01T00%3A00%3A00%2B14%3A00"]
)
def test_v1_refuses_a_start_out_of_range_in_clickmeetings_shape(
    client: TestClient, podium: Podium, starts_at: str
) -> None:
    """/v1/conferences answers 422 {code, name, errors} and stores nothing."""
    key = api_key(podium)
    head = podium.store.recorder.max_notification_id()
    form = f"name=Far&room_type=webinar&permanent_room=0&access_type=1&starts_at={starts_at}"
    response = client.post(
        "/v1/conferences", content=form, headers={"X-Api-Key": key, "Content-Type": FORM}
    )
    assert "starts_at" in str(error(response, 422)["errors"])
    assert podium.store.recorder.max_notification_id() == head
