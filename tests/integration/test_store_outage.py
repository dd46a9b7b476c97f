"""PostgreSQL restarted under a running ``podium serve``: 503 with Retry-After meanwhile, never
a 500, and the API recovers by itself. On a throwaway cluster of its own (tests.integration.
pg_cluster), never the shared test server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.pg_cluster import Cluster, binaries
from tests.integration.smtp import free_port


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    bindir = binaries()
    if bindir is None:
        message = "no PostgreSQL binaries (initdb, pg_ctl) under /usr/lib/postgresql"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    made = Cluster(bindir)
    yield made
    made.remove()


def test_the_api_answers_503_while_postgres_is_down_and_recovers(
    cluster: Cluster, tmp_path: Path
) -> None:
    """Down: every answer is 503 problem+json with Retry-After, fast; /health stays 200. Back:
    the same key reads the same account, with no restart."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env |= cluster.settings() | {"PODIUM_DATA_DIR": str(tmp_path), "PODIUM_PORT": str(port)}
    err = (tmp_path / "stderr.txt").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "podium.cli", "serve", "--no-mail-sink"],
        env=env | {"PODIUM_ENVIRONMENT": "test"},
        stdout=subprocess.DEVNULL,
        stderr=err,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:  # the condition "it answers", bounded
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None
            assert time.monotonic() < deadline
            time.sleep(0.1)
        body = {"name": "Org", "email": "o@example.com", "password": "password1"}
        assert httpx.post(f"{base}/accounts", json=body).status_code == 201
        login = {"email": "o@example.com", "password": "password1"}
        key = httpx.post(f"{base}/sessions", json=login).json()["api_key"]
        headers = {"X-Api-Key": key}
        cluster.stop()
        for path in ("/account", "/plans", "/health/ready", "/account"):
            answer = httpx.get(f"{base}{path}", headers=headers, timeout=90)
            assert answer.status_code == 503, answer.text
            assert answer.headers["Retry-After"] == "5"
            assert answer.headers["Content-Type"] == "application/problem+json"
            assert "database" in answer.json()["detail"]
        write = httpx.post(f"{base}/accounts", json={**body, "email": "p@example.com"}, timeout=90)
        assert write.status_code == 503
        health = httpx.get(f"{base}/health", timeout=10)
        assert health.status_code == 200
        assert health.json()["status"] == "unavailable"
        cluster.start()
        deadline = time.monotonic() + 30
        while (answer := httpx.get(f"{base}/account", headers=headers, timeout=30)).status_code:
            assert answer.status_code in (200, 503), answer.text  # never a 500
            if answer.status_code == 200:
                break
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert answer.json()["role"] == "owner"
    finally:
        server.terminate()
        server.wait(timeout=20)
        err.close()
