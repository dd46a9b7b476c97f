"""An event one read model cannot apply stops that read model only, and says so.

The poison is the real one found by outside testing: a room whose end is past the calendar's
last day (scheduled before the domain bounded start times), appended straight to the log as an
old event would already be there.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from api.consistency import STALE_HEADER
from commands.rooms import new_secrets
from domain.room import Room, RoomSettings
from podium.bootstrap import Podium
from projections.projector import Projector
from projections.rooms.projection import RoomsProjection
from projections.store import Cursor
from tests.e2e.helpers import Caller, expect, trial_owner
from tests.e2e.rooms import rooms, schedule

FAR = datetime(9999, 12, 31, 23, 30, tzinfo=UTC)


def append_poison(podium: Podium, owner: Caller) -> int:
    """A room scheduled for 9999-12-31 23:30 UTC, saved past every check; its position."""
    settings = RoomSettings(name="far", starts_at=FAR, duration_minutes=60)
    room = Room(UUID(owner.account_id), "far", settings.as_state(), new_secrets(), FAR)
    recordings = podium.store.save(room)
    return recordings[-1].notification.id


@pytest.fixture
def poisoned(client: TestClient, podium: Podium) -> tuple[Caller, int]:
    owner = trial_owner(client, "owner@example.com")
    schedule(client, owner, "Before the poison")
    position = append_poison(podium, owner)
    podium.projector.catch_up()  # what the background projector does next: no exception
    return owner, position


def test_the_rest_of_podium_keeps_working(
    client: TestClient, podium: Podium, poisoned: tuple[Caller, int]
) -> None:
    """Sign-ups, contacts and the timeline go on; the rooms read model keeps its last rows."""
    owner, _ = poisoned
    other = trial_owner(client, "victim@example.com")
    contact = {"email": "ann@example.com", "first_name": "Ann"}
    response = client.post("/contacts", json=contact, headers=other.headers)
    assert response.status_code in (200, 201), response.text
    listed = expect(client.get("/contacts", headers=other.headers), 200)
    assert "ann@example.com" in str(listed)
    assert [r["name"] for r in rooms(client, owner)] == ["Before the poison"]
    assert expect(client.get("/timeline", headers=owner.headers), 200)


def test_health_says_which_read_model_stopped_where_and_why(
    client: TestClient, podium: Podium, poisoned: tuple[Caller, int]
) -> None:
    """/health is degraded with the event and the exception; readiness answers 503."""
    _, position = poisoned
    trial_owner(client, "next@example.com")  # a write after the poison moves the others on
    podium.projector.catch_up()
    health = expect(client.get("/health"), 200)
    assert health["status"] == "degraded"
    failed = health["failed_projections"]
    assert list(failed) == ["rooms"]
    assert failed["rooms"]["notification_id"] == position
    assert "Room.Scheduled" in failed["rooms"]["event"]
    assert "OverflowError" in failed["rooms"]["error"]
    assert health["projections"]["rooms"] == position - 1
    assert health["projections"]["account_summary"] == health["head"]
    assert "podium resume rooms" in health["problems"][0]
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.headers["content-type"].startswith("application/problem+json")
    assert ready.json()["health"] == "degraded"
    assert "rooms stopped at notification" in ready.json()["detail"]


def test_a_write_the_stopped_read_model_would_show_answers_and_says_it_is_stale(
    client: TestClient, podium: Podium, poisoned: tuple[Caller, int]
) -> None:
    """A new room is saved and answered at once (201, the command's own answer), with the
    header naming the stale read model; nothing waits or fails."""
    owner, _ = poisoned
    response = client.post(
        "/rooms",
        json={"name": "After", "starts_at": "2026-10-22T10:00:00", "timezone": "UTC"},
        headers=owner.headers,
    )
    assert response.status_code == 201, response.text
    assert response.headers[STALE_HEADER] == "rooms"
    assert response.json()["name_url"] == "after"
    v1 = client.post(
        "/v1/conferences",
        data={"name": "Via v1", "room_type": "webinar", "permanent_room": "1", "access_type": "1"},
        headers={"X-Api-Key": owner.key},
    )
    assert v1.status_code == 201, v1.text
    assert v1.json()["room"]["name_url"] == "via-v1"


def test_rebuild_reports_the_event_instead_of_crashing(
    client: TestClient, podium: Podium, poisoned: tuple[Caller, int]
) -> None:
    """A rebuild applies everything before the poison event, then records it again."""
    _, position = poisoned
    podium.projector.rebuild("rooms")
    failure = podium.projector.failures()["rooms"]
    assert failure.notification_id == position
    assert podium.projector.position("rooms") == position - 1
    assert len(podium.views.rooms.rooms(poisoned[0].account_id, True, podium.clock.now())) == 1


class Flaky(RoomsProjection):
    """The rooms projection with a bug in one event's handling until ``fixed`` is set."""

    fixed = False

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if not self.fixed and getattr(event, "name_url", None) == "buggy":
            raise KeyError("a bug")
        super().apply(cursor, event, position)


def test_resume_retries_the_event_once_the_cause_is_fixed(
    client: TestClient, podium: Podium
) -> None:
    """A stopped projection stays stopped until resumed, then applies the event exactly once."""
    owner = trial_owner(client, "owner@example.com")
    flaky = Flaky()
    projector = Projector(
        podium.store.recorder, podium.store.mapper.to_domain_event, podium.read_store, [flaky]
    )
    account = UUID(owner.account_id)
    start = podium.clock.now().replace(year=2027)
    for name in ("fine", "buggy", "later"):
        podium.rooms.schedule(account, RoomSettings(name=name, starts_at=start))
    projector.catch_up()
    assert list(projector.failures()) == ["rooms"]
    projector.catch_up()  # still stopped: a retry on every poll would only fail again

    def listed() -> list[str]:
        rows = podium.views.rooms.rooms(owner.account_id, True, podium.clock.now())
        return sorted(r["name"] for r in rows)

    assert listed() == ["fine"]
    flaky.fixed = True
    assert projector.resume() == ["rooms"]
    projector.catch_up()
    assert projector.failures() == {}
    assert listed() == ["buggy", "fine", "later"]
