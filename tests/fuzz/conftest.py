"""The fuzzers' Podium: one per module (generated requests share it, as a real server's callers
do), on SQLite, with a paying owner, an integration API key and a room to aim at."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.clock import ManualClock
from podium.passwords import FastTestHasher
from podium.payments import SandboxGateway
from podium.settings import Settings
from tests.conftest import START
from tests.e2e.helpers import auth, expect, paying_owner


@dataclass(frozen=True)
class Target:
    """What the fuzzers aim at: the app, and an owner's integration key with one room."""

    podium: Podium
    app: FastAPI
    key: str
    room_id: str
    room_number: int


def build_target(data_dir: Path) -> Iterator[Target]:
    """A Podium with an owner on a paid plan, a key that survives password changes (an
    integration key, not a session's) and one scheduled room that takes registrations."""
    settings = Settings(store="sqlite", environment="test", data_dir=data_dir, project_inline=True)
    podium = bootstrap(
        settings, clock=ManualClock(START), gateway=SandboxGateway(), hasher=FastTestHasher()
    )
    app = create_app(podium)
    try:
        with TestClient(app) as client:
            owner = paying_owner(client, "fuzz-owner@example.com", "live-100")
            issued = client.post("/api-keys", json={"label": "fuzz"}, headers=owner.headers)
            key = str(expect(issued, 201)["api_key"])
            room = {
                "name": "Fuzz room",
                "starts_at": "2026-10-20T10:00:00",
                "timezone": "UTC",
                "registration_enabled": True,
            }
            made = expect(client.post("/rooms", json=room, headers=auth(key)), 201)
        yield Target(podium, app, key, str(made["room_id"]), int(made["number"]))
    finally:
        podium.close()


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    yield from build_target(tmp_path_factory.mktemp("fuzz"))
