"""`podium serve` as `make run` starts it: one process, SQLite under the data directory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.smtp import free_port


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "PODIUM_DATA_DIR": str(tmp_path), "PODIUM_PORT": str(port)}
    env.pop("PODIUM_STORE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "podium.cli", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:  # wait for the condition "it answers", bounded
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"podium serve did not start: {process.stderr}")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_server_signs_up_and_answers_reads(server: str, tmp_path: Path) -> None:
    """Over real HTTP: sign up, log in, read the account; the events land in var's SQLite file."""
    signed = httpx.post(
        f"{server}/accounts",
        json={"name": "Live", "email": "live@example.com", "password": "password1"},
    )
    assert signed.status_code == 201
    key = httpx.post(
        f"{server}/sessions", json={"email": "live@example.com", "password": "password1"}
    ).json()["api_key"]
    account = httpx.get(f"{server}/account", headers={"X-Api-Key": key})
    assert account.status_code == 200
    assert account.json()["plan"]["id"] == "trial"
    assert (tmp_path / "podium.db").exists()
    assert httpx.get(f"{server}/docs").status_code == 200
