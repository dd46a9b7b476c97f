"""What a room client does for audio and video over its socket (decision 0024)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from typing import Any

import pytest
from starlette.testclient import WebSocketTestSession

from media.plane import EmbeddedMediaPlane
from podium.bootstrap import Podium
from tests.e2e.helpers import Json
from tests.e2e.live_socket import receive
from tests.media.fake_sfu import FakeSfu

OFFER = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
_refs = count(1)


@contextmanager
def fake_plane(podium: Podium) -> Iterator[tuple[EmbeddedMediaPlane, FakeSfu]]:
    """An embedded media plane on a ``FakeSfu``, attached to ``podium.media``."""
    sfus: list[FakeSfu] = []

    def factory(settings: Any) -> FakeSfu:
        sfus.append(FakeSfu(settings))
        return sfus[-1]

    plane = EmbeddedMediaPlane(podium, factory).start()
    podium.media.plane = plane
    try:
        yield plane, sfus[0]
    finally:
        podium.media.plane = None
        plane.stop()


@pytest.fixture
def plane(podium: Podium) -> Iterator[tuple[EmbeddedMediaPlane, FakeSfu]]:
    with fake_plane(podium) as running:
        yield running


def ask(socket: WebSocketTestSession, action: str, **fields: Any) -> Json:
    """Send one action frame and return its answer or error frame (events in between are
    skipped)."""
    ref = next(_refs)
    socket.send_json({"action": action, "ref": ref, **fields})
    while True:
        frame = receive(socket)
        if frame["type"] in ("answer", "error") and frame.get("ref") == ref:
            return frame


def offer(socket: WebSocketTestSession, purpose: str, sdp: str = OFFER) -> Json:
    return ask(socket, "media.offer", purpose=purpose, sdp=sdp)
