"""Fixtures shared by every level of test.

``podium`` (and ``client`` on top of it) runs each test twice: on SQLite and on PostgreSQL.
The PostgreSQL run needs the server that ``scripts/ensure-postgres.sh`` provides (``make test``
starts it). Without one it is skipped on a developer machine, saying so; in CI (CI=true) it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.clock import ManualClock
from podium.passwords import FastTestHasher
from podium.payments import SandboxGateway
from podium.settings import Settings

START = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


def pg_base_settings() -> dict[str, object]:
    return {
        "pg_host": os.environ.get("PODIUM_TEST_PG_HOST", "127.0.0.1"),
        "pg_port": int(os.environ.get("PODIUM_TEST_PG_PORT", "54329")),
        "pg_user": os.environ.get("PODIUM_TEST_PG_USER", "podium"),
        "pg_password": os.environ.get("PODIUM_TEST_PG_PASSWORD", "podium"),
        "pg_dbname": os.environ.get("PODIUM_TEST_PG_DBNAME", "podium_test"),
    }


@pytest.fixture(scope="session")
def postgres_available() -> dict[str, object]:
    """Connection settings of the test PostgreSQL server, or skip (fail in CI) without one."""
    base = pg_base_settings()
    try:
        with psycopg.connect(
            host=str(base["pg_host"]),
            port=int(str(base["pg_port"])),
            user=str(base["pg_user"]),
            password=str(base["pg_password"]),
            dbname=str(base["pg_dbname"]),
            connect_timeout=3,
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as error:
        message = (
            f"PostgreSQL not reachable at {base['pg_host']}:{base['pg_port']} ({error}); "
            "run `make test`, which starts one (scripts/ensure-postgres.sh)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return base


@pytest.fixture(scope="session")
def kafka_servers() -> str:
    """The test Kafka broker's address, or skip (fail in CI) without one reachable.

    ``make test`` starts one (scripts/ensure-kafka.sh) and exports PODIUM_TEST_KAFKA; tests
    share it and keep apart by a topic prefix of their own."""
    servers = os.environ.get("PODIUM_TEST_KAFKA", "")
    problem = "PODIUM_TEST_KAFKA is not set"
    if servers:
        try:
            from kafka import KafkaAdminClient

            KafkaAdminClient(bootstrap_servers=servers.split(","), request_timeout_ms=5000).close()
            return servers
        except Exception as error:
            problem = f"no Kafka broker answers at {servers} ({error})"
    message = f"{problem}; run `make test`, which starts one (scripts/ensure-kafka.sh)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def pg_schema(postgres_available: dict[str, object]) -> Iterator[dict[str, object]]:
    """A fresh schema for one test, dropped afterwards: tests never see each other's data."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    base = postgres_available
    conninfo = (
        f"host={base['pg_host']} port={base['pg_port']} user={base['pg_user']} "
        f"password={base['pg_password']} dbname={base['pg_dbname']}"
    )
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield {**base, "pg_schema": schema}
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for one test, on SQLite or on PostgreSQL."""
    common = {"environment": "test", "data_dir": tmp_path, "project_inline": True}
    if request.param == "sqlite":
        return Settings(store="sqlite", **common)  # type: ignore[arg-type]
    schema_settings = request.getfixturevalue("pg_schema")
    return Settings(store="postgres", pg_pool_size=4, **common, **schema_settings)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> ManualClock:
    """Time stands still at START until a test moves it."""
    return ManualClock(START)


@pytest.fixture
def gateway() -> SandboxGateway:
    return SandboxGateway()


@pytest.fixture
def podium(settings: Settings, clock: ManualClock, gateway: SandboxGateway) -> Iterator[Podium]:
    """A whole Podium on the chosen store, with a manual clock and the sandbox gateway."""
    built = bootstrap(settings, clock=clock, gateway=gateway, hasher=FastTestHasher())
    yield built
    built.close()


@pytest.fixture
def client(podium: Podium) -> Iterator[TestClient]:
    """The HTTP API over ``podium``."""
    with TestClient(create_app(podium)) as test_client:
        yield test_client
