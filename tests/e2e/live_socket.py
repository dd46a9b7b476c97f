"""What a room client does over the WebSocket: connect with its credential, read frames."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from tests.e2e.helpers import Caller, Json, expect
from tests.e2e.rooms import join, query_of, schedule


def room_with_session(client: TestClient, owner: Caller, seats: int = 20) -> Json:
    """A permanent room whose session the host has started."""
    room = schedule(client, owner, permanent=True, starts_at=None, attendee_limit=seats)
    expect(client.post(f"/rooms/{room['room_id']}/sessions", headers=owner.headers), 200)
    return room


def credential(client: TestClient, room: Json, email: str, **presented: Any) -> str:
    value: str = expect(join(client, room, email, **presented), 200)["credential"]
    return value


def presenter_credential(client: TestClient, room: Json, email: str) -> str:
    role_hash = query_of(room["role_links"]["presenter"])["role"]
    return credential(client, room, email, role_hash=role_hash)


def connect(
    client: TestClient, room: Json, credential: str, since: int | None = None
) -> AbstractContextManager[WebSocketTestSession]:
    query = f"?credential={credential}" + (f"&since={since}" if since is not None else "")
    return client.websocket_connect(f"/ws/rooms/{room['room_id']}{query}")


def receive(socket: WebSocketTestSession) -> Json:
    """The next frame that is not the server's keep-alive ping."""
    while True:
        frame: Json = socket.receive_json()
        if frame["type"] != "ping":
            return frame


def events(socket: WebSocketTestSession, count: int) -> list[Json]:
    """The next ``count`` room events, from however many events frames they come in."""
    got: list[Json] = []
    while len(got) < count:
        frame = receive(socket)
        assert frame["type"] == "events", frame
        got.extend(frame["events"])
    assert len(got) == count, got
    return got
