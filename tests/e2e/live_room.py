"""A running session with people in it, as the engagement tests need: an owner, a room started,
listeners and presenters joined, each with the ``Podium-Attendance`` header their join gave."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from tests.e2e.helpers import Caller, Json, expect, trial_owner
from tests.e2e.rooms import join, query_of
from tests.e2e.test_live_sessions import permanent_room, start


@dataclass(frozen=True)
class Person:
    """Someone in the room: their email and the header that proves their attendance."""

    email: str
    credential: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Podium-Attendance": self.credential}


@dataclass(frozen=True)
class LiveRoom:
    owner: Caller
    room: Json

    @property
    def path(self) -> str:
        return f"/rooms/{self.room['room_id']}"


def live_room(client: TestClient, seats: int = 10, started: bool = True) -> LiveRoom:
    """A permanent room of a new trial account, its session started unless ``started`` is off."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, seats=seats)
    if started:
        start(client, owner, room)
    return LiveRoom(owner, room)


def listener(client: TestClient, live: LiveRoom, email: str) -> Person:
    admitted = expect(join(client, live.room, email), 200)
    assert admitted["role"] == "listener"
    return Person(email, admitted["credential"])


def presenter(client: TestClient, live: LiveRoom, email: str) -> Person:
    role_hash = query_of(live.room["role_links"]["presenter"])["role"]
    admitted = expect(join(client, live.room, email, role_hash=role_hash), 200)
    assert admitted["role"] == "presenter"
    return Person(email, admitted["credential"])
