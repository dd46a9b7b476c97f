"""What a presenter and an audience do inside a running room: start it, join it with a role,
and send room actions with the attendance credential the join answered."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from tests.e2e.helpers import Caller, Json, expect
from tests.e2e.rooms import join, query_of, schedule


@dataclass(frozen=True)
class Person:
    """Someone in the room: the headers their room actions carry."""

    email: str
    credential: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Podium-Attendance": self.credential}


def live_room(client: TestClient, owner: Caller, seats: int = 25) -> Json:
    """A permanent room whose first session the owner has started."""
    room = schedule(client, owner, permanent=True, starts_at=None, attendee_limit=seats)
    expect(client.post(f"/rooms/{room['room_id']}/sessions", headers=owner.headers), 200)
    return room


def attendee(client: TestClient, room: Json, email: str) -> Person:
    return Person(email, expect(join(client, room, email), 200)["credential"])


def presenter(client: TestClient, room: Json, email: str) -> Person:
    """Someone who came in through the room's presenter link."""
    role = query_of(room["role_links"]["presenter"])["role"]
    admitted = expect(join(client, room, email, role_hash=role), 200)
    assert admitted["role"] == "presenter"
    return Person(email, admitted["credential"])


def room_path(room: Json, tail: str) -> str:
    return f"/rooms/{room['room_id']}/{tail}"
