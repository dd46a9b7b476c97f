"""A real ``podium serve`` process for the browser, and what the tests do to it over HTTP:
an organizer schedules a room and starts its session, other people join and act."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.integration.smtp import free_port

PODIUM = [sys.executable, "-m", "podium.cli", "serve"]
STARTUP_SECONDS = 60  # a loaded two-core machine: bounded, not tight
PASSWORD = "correct horse battery"
Json = dict[str, Any]


class Server:
    """A ``podium serve`` process on a free port with its own data directory (and, when
    ``env`` says so, its own PostgreSQL schema); its output kept in files for a failure."""

    def __init__(self, data_dir: Path, env: Mapping[str, str]) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        data_dir.mkdir(parents=True, exist_ok=True)
        self.out, self.err = data_dir / "stdout.txt", data_dir / "stderr.txt"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
        environment |= {"PODIUM_DATA_DIR": str(data_dir), "PODIUM_PORT": str(port), **env}
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(PODIUM, env=environment, stdout=out, stderr=err)

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:  # the condition "it answers", bounded
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"podium serve did not start:\n{self.err.read_text()}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def ok(response: httpx.Response) -> Json:
    assert response.status_code in (200, 201), f"{response.status_code}: {response.text}"
    body: Json = response.json()
    return body


@dataclass
class Room:
    """A permanent room with a live session, its organizer's key and its role links."""

    http: httpx.Client
    room_id: str
    owner_key: str
    presenter_hash: str

    @property
    def path(self) -> str:
        return f"/rooms/{self.room_id}"

    @property
    def page(self) -> str:
        """The room page's address (as an attendee: no role)."""
        return f"/live/{self.room_id}"

    def as_owner(self, method: str, path: str, body: Json | None = None) -> Json:
        headers = {"X-Api-Key": self.owner_key}
        return ok(self.http.request(method, self.path + path, json=body, headers=headers))

    def join(self, email: str, presenter: bool = False) -> Callable[..., Json]:
        """Someone joining over HTTP; returns how they act: ``act(method, path, body)``."""
        body: Json = {"nickname": email.split("@")[0].title(), "email": email}
        if presenter:
            body["role_hash"] = self.presenter_hash
        credential = ok(self.http.post(f"{self.path}/join", json=body))["credential"]
        headers = {"Podium-Attendance": credential}

        def act(method: str, path: str, body: Json | None = None) -> Json:
            return ok(self.http.request(method, self.path + path, json=body, headers=headers))

        return act


def live_room(http: httpx.Client, owner_email: str, started: bool = True) -> Room:
    """An organizer's new account, a permanent webinar room, and its session started (unless
    ``started`` is false: people who join wait in its lobby)."""
    ok(
        http.post(
            "/accounts", json={"name": "Browser Tests", "email": owner_email, "password": PASSWORD}
        )
    )
    key = ok(http.post("/sessions", json={"email": owner_email, "password": PASSWORD}))["api_key"]
    room = ok(
        http.post(
            "/rooms",
            json={
                "name": "Browser webinar",
                "permanent": True,
                "starts_at": None,
                "timezone": "UTC",
            },
            headers={"X-Api-Key": key},
        )
    )
    presenter_link = room["role_links"]["presenter"]
    role_hash = parse_qs(urlsplit(presenter_link).query)["role"][0]
    made = Room(http, room["room_id"], key, role_hash)
    if started:
        made.as_owner("POST", "/sessions")
    return made
