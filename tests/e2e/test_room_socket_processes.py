"""Two API processes on one PostgreSQL schema: a socket held by one hears what the other
appends, woken by the NOTIFY every append sends (polling is turned off here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from podium.bootstrap import bootstrap
from podium.clock import ManualClock
from podium.passwords import FastTestHasher
from podium.settings import Settings
from tests.conftest import START
from tests.e2e.helpers import trial_owner
from tests.e2e.live_socket import connect, credential, events, receive, room_with_session


@pytest.fixture
def two_apps(pg_schema: dict[str, object], tmp_path: Path) -> Iterator[tuple[TestClient, ...]]:
    common: dict[str, object] = {"environment": "test", "store": "postgres", "pg_pool_size": 4}
    clients = []
    podiums = []
    for n in (1, 2):
        fields = {"data_dir": tmp_path / str(n), "ws_poll_interval": 600.0, **common, **pg_schema}
        settings = Settings.model_validate(fields)
        podium = bootstrap(settings, clock=ManualClock(START), hasher=FastTestHasher())
        podiums.append(podium)
        clients.append(TestClient(create_app(podium)))
    for client in clients:
        client.__enter__()
    yield tuple(clients)
    for client in clients:
        client.__exit__(None, None, None)
    for podium in podiums:
        podium.close()


@pytest.mark.postgres
def test_a_socket_on_one_process_hears_a_join_through_another(
    two_apps: tuple[TestClient, TestClient],
) -> None:
    """Ann's socket is on the second process; Bob joins through the first; Ann hears it."""
    first, second = two_apps
    owner = trial_owner(first, "owner@example.com")
    room = room_with_session(first, owner)
    ann = credential(first, room, "ann@example.com")
    with connect(second, room, ann) as socket:
        snapshot = receive(socket)
        listener = second.app.state.room_hub.listener  # type: ignore[attr-defined]
        assert listener is not None
        assert listener.listening.wait(10)
        credential(first, room, "bob@example.com")
        heard = events(socket, 1)[0]
    assert heard["kind"] == "admission.admitted"
    assert heard["payload"]["nickname"] == "Bob"
    assert heard["position"] > snapshot["position"]
