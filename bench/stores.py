"""Where a run writes: a fresh SQLite directory, or a fresh PostgreSQL schema, dropped after."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import psycopg

from podium.settings import Settings

StoreKind = Literal["sqlite", "postgres"]


def postgres_base() -> dict[str, object]:
    """The server ``scripts/ensure-postgres.sh`` provides (its PODIUM_TEST_PG_* exports)."""
    return {
        "pg_host": os.environ.get("PODIUM_TEST_PG_HOST", "127.0.0.1"),
        "pg_port": int(os.environ.get("PODIUM_TEST_PG_PORT", "54329")),
        "pg_user": os.environ.get("PODIUM_TEST_PG_USER", "podium"),
        "pg_password": os.environ.get("PODIUM_TEST_PG_PASSWORD", "podium"),
        "pg_dbname": os.environ.get("PODIUM_TEST_PG_DBNAME", "podium_test"),
    }


def _conninfo(base: dict[str, object]) -> str:
    return (
        f"host={base['pg_host']} port={base['pg_port']} user={base['pg_user']} "
        f"password={base['pg_password']} dbname={base['pg_dbname']}"
    )


def postgres_server_settings() -> dict[str, str]:
    """The server settings that decide commit cost, recorded with the results."""
    names = ("fsync", "synchronous_commit", "wal_sync_method", "commit_delay", "server_version")
    with psycopg.connect(_conninfo(postgres_base()), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", (list(names),)
        ).fetchall()
    return {str(name): str(setting) for name, setting in rows}


@contextmanager
def fresh_store(kind: StoreKind, scratch: Path) -> Iterator[Settings]:
    """Settings for a store nobody else uses; its data is removed afterwards.

    Everything but the location is Podium's default, so what is measured is what runs.
    """
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-", dir=scratch))
    try:
        if kind == "sqlite":
            yield Settings(store="sqlite", data_dir=data_dir)
            return
        base = postgres_base()
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(_conninfo(base), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            yield Settings(store="postgres", data_dir=data_dir, pg_schema=schema, **base)  # type: ignore[arg-type]
        finally:
            with psycopg.connect(_conninfo(base), autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
