"""A person whose last socket is gone past the leave grace is hung up too (decision 0024)."""

from __future__ import annotations

from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from media.plane import EmbeddedMediaPlane
from podium.settings import Settings
from tests.e2e.helpers import trial_owner
from tests.e2e.live_socket import connect, receive
from tests.e2e.media import offer, plane
from tests.e2e.test_live_audio import running
from tests.e2e.test_session_lifecycle import enter
from tests.media.fake_sfu import FakeSfu
from tests.media.test_reconciler import wait_until

__all__ = ["plane"]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"ws_leave_grace": 0.1})


def test_leaving_the_room_hangs_up_both_connections(
    client: TestClient, plane: tuple[EmbeddedMediaPlane, FakeSfu]
) -> None:
    """Ann's socket closes and she does not come back: after the grace her receive and
    publish peers are closed, and the presenter's are not."""
    _, sfu = plane
    owner = trial_owner(client, "owner@example.com")
    room, first, _ = running(client, owner)
    ann = enter(client, room, "ann@example.com")
    room_id = UUID(room["room_id"])
    with connect(client, room, first) as one:
        receive(one)
        offer(one, "publish")
        with connect(client, room, ann) as listener:
            receive(listener)
            offer(listener, "receive")
            assert len(sfu.peers(room_id, 1)) == 2
        assert wait_until(lambda: [p.email for p in sfu.peers(room_id, 1)] == ["first@example.com"])
