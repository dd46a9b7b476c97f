"""The gateway's fan-out with fake sockets: a slow client is told to resync and never holds
the others up; the writer joins queued events into one frame and skips what a client has."""

from __future__ import annotations

import asyncio
from typing import Any

from api.gateway.hub import RESYNC, Client, Hub, batches
from api.gateway.socket import Connection
from commands.live.actors import Actor
from domain.access import Role
from podium.bootstrap import Podium

ROOM = "3f2a6d1e-0000-4000-8000-000000000001"


def row(position: int, audience: str = "all", **payload: Any) -> dict[str, Any]:
    text = "{" + ",".join(f'"{k}":"{v}"' for k, v in payload.items()) + "}"
    return {
        "room_id": ROOM,
        "session": 1,
        "position": position,
        "stream_id": "s",
        "kind": "test.happened",
        "audience": audience,
        "payload": text,
    }


def client(size: int, presents: bool = False) -> Client:
    return Client(ROOM, 1, presents, "x@example.com", asyncio.Queue(size))


class FakeSocket:
    """Records what a writer sends; never slow."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.closed: int | None = None

    async def send_text(self, text: str) -> None:
        self.sent.append(text)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self.closed = code


def test_a_client_that_falls_behind_is_told_to_resync_and_the_rest_go_on(
    podium: Podium,
) -> None:
    """Three passes against a queue of two: the slow client is dropped with only a resync
    waiting; a client with room gets every pass."""

    async def scenario() -> tuple[Client, Client, Hub]:
        hub = Hub(podium, asyncio.get_running_loop())
        slow, fast = client(2), client(10)
        hub.subscribe(slow)
        hub.subscribe(fast)
        for position in (1, 2, 3):
            hub.fan_out([row(position, text="hi")])
        hub.pool.shutdown()
        return slow, fast, hub

    slow, fast, hub = asyncio.run(scenario())
    assert slow.dropped
    assert slow.queue.qsize() == 1
    assert slow.queue.get_nowait() is RESYNC
    assert fast.queue.qsize() == 3
    assert hub.rooms[ROOM] == {fast}


def test_events_for_presenters_and_emails_reach_only_presenters() -> None:
    """A presenters-only event and an email field are left out of everyone's batch."""
    everyone, presenters = batches(
        [row(1, email="a@example.com", nickname="A"), row(2, "presenters", text="psst")]
    )
    assert everyone is not None
    assert presenters is not None
    assert [p for p, _ in everyone.events] == [1]
    assert "email" not in everyone.text
    assert [p for p, _ in presenters.events] == [1, 2]
    assert "a@example.com" in presenters.text


def test_the_writer_joins_queued_events_skips_what_the_client_has_and_closes_on_resync(
    podium: Podium,
) -> None:
    """Queued batches go out as one events frame, without events at or before the client's
    position; a resync says from where, then closes with 4000."""

    async def scenario() -> FakeSocket:
        hub = Hub(podium, asyncio.get_running_loop())
        socket = FakeSocket()
        actor = Actor(ROOM, 1, "x@example.com", "X", Role.LISTENER)  # type: ignore[arg-type]
        connection = Connection(hub, socket, ROOM, "c", actor)  # type: ignore[arg-type]
        connection.client.after = 1
        first, _ = batches([row(1, n="1"), row(2, n="2")])
        second, _ = batches([row(3, n="3")])
        for item in (first, second, RESYNC):
            connection.client.queue.put_nowait(item)
        await connection.write()
        hub.pool.shutdown()
        return socket

    socket = asyncio.run(scenario())
    assert len(socket.sent) == 2
    assert '"position":1,' not in socket.sent[0]
    assert '"position":2,' in socket.sent[0]
    assert '"position":3,' in socket.sent[0]
    assert socket.sent[1] == '{"type":"resync","since":3}'
    assert socket.closed == 4000
