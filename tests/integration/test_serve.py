"""`podium serve` as `make run` starts it: one process, SQLite under the data directory."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.smtp import free_port

PODIUM = [sys.executable, "-m", "podium.cli", "serve"]


class Server:
    """A ``podium serve`` process with its own data directory; stdout kept in a file."""

    def __init__(self, data_dir: Path, port: int, **env: str) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.out = data_dir / "stdout.txt"
        environment = {**os.environ, "PODIUM_DATA_DIR": str(data_dir), "PODIUM_PORT": str(port)}
        environment.pop("PODIUM_STORE", None)
        environment.pop("PODIUM_SMTP_PORT", None)
        data_dir.mkdir(parents=True, exist_ok=True)
        with self.out.open("wb") as out:
            self.process = subprocess.Popen(
                PODIUM, env=environment | env, stdout=out, stderr=subprocess.PIPE
            )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while True:  # wait for the condition "it answers", bounded
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"podium serve did not start: {self.process.stderr}")
            time.sleep(0.1)

    def output(self) -> str:
        return self.out.read_text()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Server]:
    started = Server(tmp_path, free_port())
    try:
        started.wait_until_up()
        yield started
    finally:
        started.stop()


@pytest.fixture
def server(running: Server) -> str:
    return running.base


def failure(tmp_path: Path, port: int, **env: str) -> str:
    """Start ``podium serve`` expecting it to fail: its stderr, checked to be one line."""
    process = Server(tmp_path / "second", port, **env).process
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1, lines  # one line, no traceback
    assert lines[0].startswith("podium: cannot start: ")
    return lines[0]


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


def test_a_second_server_on_another_port_gets_its_own_mail_sink(
    running: Server, tmp_path: Path
) -> None:
    """PORT=9000 beside a running Podium: it starts, its sink on a port it names, and mail it
    sends lands in its own sink, even when PORT + 25 is taken."""
    port = free_port()
    with socket.socket() as taken:  # whatever holds this one's derived sink port
        taken.bind(("127.0.0.1", port + 25))
        taken.listen()
        second = Server(tmp_path / "second", port)
        try:
            second.wait_until_up()
            announced = re.search(r"mail sink on 127\.0\.0\.1:(\d+)", second.output())
            assert announced is not None
            assert int(announced[1]) not in (port + 25, 8025)
            signed = httpx.post(
                f"{second.base}/accounts",
                json={"name": "Two", "email": "two@example.com", "password": "password1"},
            )
            assert signed.status_code == 201
            reset = {"email": "two@example.com"}
            assert httpx.post(f"{second.base}/password-reset", json=reset).status_code == 202
            deadline = time.monotonic() + 30
            while "mail to two@example.com" not in second.output():  # the mailer runs each 5 s
                assert time.monotonic() < deadline, second.output()
                time.sleep(0.2)
        finally:
            second.stop()
    assert httpx.get(f"{running.base}/health").status_code == 200


def test_the_api_port_in_use_is_one_line_and_exit_2(running: Server, tmp_path: Path) -> None:
    """A second Podium on the first one's port: one line naming the port, exit 2."""
    port = running.base.rsplit(":", 1)[1]
    line = failure(tmp_path, int(port))
    assert f"127.0.0.1:{port}" in line
    assert "already in use" in line


def test_a_bad_setting_is_one_line_naming_it(tmp_path: Path) -> None:
    """PODIUM_PORT=abc: one line naming PODIUM_PORT, exit 2."""
    line = failure(tmp_path, free_port(), PODIUM_PORT="abc")
    assert "PODIUM_PORT" in line


def test_an_unusable_data_directory_is_one_line(tmp_path: Path) -> None:
    """A data directory under a plain file cannot be made: one line naming it, exit 2."""
    (tmp_path / "plain-file").write_text("not a directory")
    line = failure(tmp_path, free_port(), PODIUM_DATA_DIR=str(tmp_path / "plain-file" / "var"))
    assert "plain-file" in line
