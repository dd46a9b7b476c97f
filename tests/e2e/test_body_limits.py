"""Request bodies are bounded per route (413 with a message, on both APIs), counted as they
stream in whatever Content-Length says, and an authenticated route checks the API key before
it reads a byte of the body.

Streaming is driven at the ASGI level, as the HTTP server would: the harness hands the body
over in chunks and counts how many the application asked for.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message

from api.middleware.body_limit import BodyLimit, max_body
from podium.settings import Settings
from tests.e2e.helpers import PASSWORD, expect, problem, trial_owner

LIMIT = 4096
CHUNK = 64 * 1024
FORTY_MB = 40 * 1024 * 1024


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_body_bytes": LIMIT})


def sign_up_body(size: int) -> bytes:
    """A sign-up whose JSON is ``size`` bytes long (white space after the object)."""
    body = orjson.dumps({"name": "Acme", "email": "ann@acme.example", "password": PASSWORD})
    return body + b" " * (size - len(body))


@dataclass
class Exchange:
    """One request driven through the ASGI app, and what came back."""

    chunks_read: int = 0
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return orjson.loads(self.body)


def drive(
    app: ASGIApp,
    path: str,
    headers: dict[str, str],
    total: int,
    chunk: bytes = b"x" * CHUNK,
) -> Exchange:
    """POST ``total`` bytes to ``path`` in chunks, counting the chunks the app asks for."""
    exchange = Exchange()
    remaining = total

    async def receive() -> Message:
        nonlocal remaining
        if remaining <= 0:
            return {"type": "http.disconnect"}
        exchange.chunks_read += 1
        piece = chunk[: min(len(chunk), remaining)]
        remaining -= len(piece)
        return {"type": "http.request", "body": piece, "more_body": remaining > 0}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            exchange.status = message["status"]
            exchange.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            exchange.body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("192.0.2.1", 5000),
        "server": ("podium.test", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return exchange


def test_a_body_over_the_limit_is_413_problem_json(client: TestClient) -> None:
    """A JSON body one byte over the limit is refused with 413 and a message naming it; one
    at the limit is read."""
    over = client.post(
        "/accounts", content=sign_up_body(LIMIT + 1), headers={"content-type": "application/json"}
    )
    assert f"at most {LIMIT:,} bytes" in problem(over, 413)["detail"]
    at = client.post(
        "/accounts", content=sign_up_body(LIMIT), headers={"content-type": "application/json"}
    )
    expect(at, 201)


def test_a_lying_content_length_does_not_bypass_the_limit(client: TestClient) -> None:
    """A Content-Length of 10 on a 40 MB body: the bytes are counted, and reading stops at
    the limit (one chunk past it at most)."""
    headers = {"content-type": "application/json", "content-length": "10"}
    answer = drive(client.app, "/accounts", headers, FORTY_MB)
    assert answer.status == 413
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.chunks_read == 1  # the first 64 KB chunk is already over 4 KB


def test_no_content_length_does_not_bypass_the_limit(client: TestClient) -> None:
    """A chunked body without a length is refused once the bytes read pass the limit, long
    before its end."""
    answer = drive(
        client.app, "/accounts", {"content-type": "application/json"}, FORTY_MB, b"x" * 1000
    )
    assert answer.status == 413
    assert answer.chunks_read == LIMIT // 1000 + 1


def test_a_declared_length_over_the_limit_is_refused_unread(client: TestClient) -> None:
    """A Content-Length over the limit is refused before a byte is read."""
    headers = {"content-type": "application/json", "content-length": str(FORTY_MB)}
    answer = drive(client.app, "/accounts", headers, FORTY_MB)
    assert answer.status == 413
    assert answer.chunks_read == 0


def test_forty_mb_without_a_key_is_401_unread(client: TestClient) -> None:
    """An authenticated route answers 401 to a 40 MB body with no API key, or a wrong one,
    without reading any of it."""
    for headers in ({}, {"x-api-key": "pk_not-a-key"}):
        length = {"content-length": str(FORTY_MB), "content-type": "application/json"}
        answer = drive(client.app, "/contacts", headers | length, FORTY_MB)
        assert answer.status == 401
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.chunks_read == 0


def test_a_valid_key_then_meets_the_size_limit(client: TestClient) -> None:
    """With a valid key the body is read, up to the limit: 413, not 401."""
    owner = trial_owner(client, "owner@acme.example")
    headers = {"x-api-key": owner.key, "content-type": "application/json"}
    answer = drive(client.app, "/contacts", headers, FORTY_MB)
    assert answer.status == 413
    assert answer.chunks_read == 1


def test_v1_bodies_are_bounded_with_clickmeeting_errors(client: TestClient) -> None:
    """Under /v1/ the limit holds too, answered in ClickMeeting's error shape, for form,
    JSON and multipart bodies alike (the multipart parser's own error does not hide it)."""
    owner = trial_owner(client, "owner@acme.example")
    for content_type in (
        "application/x-www-form-urlencoded",
        "application/json",
        "multipart/form-data; boundary=xyz",
    ):
        headers = {"x-api-key": owner.key, "content-type": content_type}
        answer = drive(client.app, "/v1/conferences", headers, FORTY_MB)
        assert answer.status == 413, content_type
        assert answer.headers["content-type"] == "application/json"
        assert answer.json()["code"] == 413
        assert "at most" in answer.json()["errors"][0]["message"]


def test_v1_checks_a_header_key_before_the_body(client: TestClient) -> None:
    """A /v1/ request with a wrong X-Api-Key is 401 without its body being read."""
    headers = {"x-api-key": "wrong", "content-type": "application/x-www-form-urlencoded"}
    answer = drive(client.app, "/v1/conferences", headers, FORTY_MB)
    assert answer.status == 401
    assert answer.json()["code"] == 401
    assert answer.chunks_read == 0


@pytest.fixture
def small_app() -> Iterator[TestClient]:
    """An app with a 100-byte default and one route that declares 1,000 bytes."""
    app = FastAPI()

    @app.post("/small")
    async def small(body: dict[str, str]) -> dict[str, int]:
        return {"fields": len(body)}

    @app.post("/large")
    @max_body(1000)
    async def large(body: dict[str, str]) -> dict[str, int]:
        return {"fields": len(body)}

    app.add_middleware(BodyLimit, default=100)
    with TestClient(app) as test_client:
        yield test_client


def test_a_route_may_declare_its_own_limit(small_app: TestClient) -> None:
    """``@max_body`` gives one route its own limit; the others keep the default."""
    body = {"text": "x" * 500}
    assert small_app.post("/small", json=body).status_code == 413
    assert small_app.post("/large", json=body).status_code == 200
    assert small_app.post("/large", json={"text": "x" * 1500}).status_code == 413
