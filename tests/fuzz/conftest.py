"""The fuzzers' Podium: one per module and store (generated requests share it, as a real
server's callers do), on SQLite and on PostgreSQL (whose text columns refuse NUL, where SQLite
overflows on integers past BIGINT), with a paying owner, an integration API key and a room."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
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


def stopped_read_models(target: Target) -> list[str]:
    """Read models not at the head of the log: stopped at an event they could not apply, or
    held back by a write their store refused (PostgreSQL and a NUL). Either is a request the
    edge let through that no read model can hold, which no status code shows. (Answers bring
    only the read models they read up to date, so every one is caught up first.)"""
    target.podium.projector.catch_up()
    head = target.podium.store.recorder.max_notification_id() or 0
    return [
        f"{name}: at {state.position} of {head}"
        + (f", stopped at {state.failure.describe()}" if state.failure else "")
        for name, state in target.podium.projector.states().items()
        if state.failure is not None or state.position < head
    ]


def build_target(settings: Settings) -> Iterator[Target]:
    """A Podium with an owner on a paid plan, a key that survives password changes (an
    integration key, not a session's) and one scheduled room that takes registrations."""
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


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def target(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Target]:
    """The module's target on the store of this run."""
    data_dir = tmp_path_factory.mktemp("fuzz")
    if request.param == "sqlite":
        yield from build_target(
            Settings(store="sqlite", environment="test", data_dir=data_dir, project_inline=True)
        )
        return
    base: dict[str, Any] = request.getfixturevalue("postgres_available")
    schema = f"f_{uuid.uuid4().hex[:12]}"
    keys = ("pg_host", "pg_port", "pg_user", "pg_password", "pg_dbname")
    conninfo = " ".join(f"{key[3:]}={base[key]}" for key in keys)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        settings = Settings(
            store="postgres",
            environment="test",
            data_dir=data_dir,
            project_inline=True,
            pg_pool_size=4,
            pg_schema=schema,
            **base,
        )
        yield from build_target(settings)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
