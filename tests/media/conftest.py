"""Media tests: in-process aiortc peers on loopback around a real ``Sfu``.

The clips are encoded once per test session (``media.synthetic``); each test runs its own
event loop (``run``) with a generous overall timeout, for a loaded machine.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import pytest

from commands.live.media import Peer, Purpose
from media.graph import ForwardingGraph, Source
from media.sfu import Sfu
from media.synthetic import (
    CountingSubscriber,
    EncodedFrame,
    PacketSource,
    SyntheticPublisher,
    encode_opus,
    encode_vp8,
)

TEST_TIMEOUT = 60.0


@pytest.fixture(scope="session")
def vp8_clip() -> list[EncodedFrame]:
    """Two seconds of small VP8, a keyframe each second."""
    return encode_vp8(frames=60, keyframe_every=30)


@pytest.fixture(scope="session")
def opus_clip() -> list[EncodedFrame]:
    return encode_opus(frames=50)


def run(scenario: Callable[[], Coroutine[Any, Any, None]], timeout: float = TEST_TIMEOUT) -> None:
    """Run one async scenario on a fresh loop, failing (not hanging) after ``timeout``."""

    async def bounded() -> None:
        await asyncio.wait_for(scenario(), timeout)

    asyncio.run(bounded())


@dataclass
class Room:
    """One session of one room around an ``Sfu``, with helpers to join it."""

    sfu: Sfu
    room_id: uuid.UUID = field(default_factory=uuid.uuid4)
    session: int = 1
    clients: list[SyntheticPublisher | CountingSubscriber] = field(default_factory=list)

    def peer(self, email: str, purpose: Purpose) -> Peer:
        return Peer(self.room_id, self.session, email, email.split("@")[0], False, purpose)

    def negotiator(self, peer: Peer) -> Callable[[str], Awaitable[str]]:
        async def negotiate(offer: str) -> str:
            return await self.sfu.negotiate(peer, offer)

        return negotiate

    async def publish(
        self,
        email: str,
        video: list[EncodedFrame] | None,
        audio: list[EncodedFrame] | None = None,
        honour_keyframe_requests: bool = True,
    ) -> SyntheticPublisher:
        publisher = SyntheticPublisher(
            PacketSource("video", video, honour_keyframe_requests=honour_keyframe_requests)
            if video
            else None,
            PacketSource("audio", audio) if audio else None,
        )
        self.clients.append(publisher)
        await publisher.connect(self.negotiator(self.peer(email, Purpose.PUBLISH)))
        return publisher

    async def subscribe(self, email: str, video: int = 1, audio: int = 1) -> CountingSubscriber:
        subscriber = CountingSubscriber(video, audio)
        self.clients.append(subscriber)
        await subscriber.connect(self.negotiator(self.peer(email, Purpose.RECEIVE)))
        return subscriber

    def graph(
        self,
        receives: dict[str, tuple[Source, ...]],
        recorded: tuple[Source, ...] = (),
        ended: bool = False,
    ) -> ForwardingGraph:
        return ForwardingGraph(
            self.room_id,
            self.session,
            receives,
            recorded,
            take=1 if recorded else None,
            ended=ended,
        )

    async def close(self) -> None:
        for client in self.clients:
            await client.close()
        await self.sfu.close()


def video(email: str) -> Source:
    return Source(email, "video")


def audio(email: str) -> Source:
    return Source(email, "audio")
