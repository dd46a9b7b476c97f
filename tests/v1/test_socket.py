"""The PHP example's exact bytes over a real socket: ``X-Api-Key:KEY`` with no space, an empty
``Expect:`` removed by curl, ``Content-Length: 0`` on a bare PUT, and the ``?page=1.json`` URL."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.client import HTTPResponse

import pytest
import uvicorn

from api.app import create_app
from podium.bootstrap import Podium
from tests.v1.helpers import PHP_WEBINAR, api_key


@pytest.fixture
def address(podium: Podium) -> Iterator[tuple[str, int]]:
    """Podium's HTTP server on a loopback port, in a thread, for the length of a test."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(podium), lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:  # wait for the condition "it listens", bounded
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    yield listener.getsockname()
    server.should_exit = True
    thread.join(timeout=10)
    listener.close()


def exchange(address: tuple[str, int], raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``raw`` bytes as one HTTP/1.1 request; the status, headers and body."""
    with socket.create_connection(address, timeout=10) as conn:
        conn.sendall(raw)
        response = HTTPResponse(conn)
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


def curl(method: str, target: str, key: str, host: str, form: str | None = None) -> bytes:
    """What the PHP example's curl writes: ``X-Api-Key:`` with no space, form content type."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Accept: */*"]
    lines += ["Accept-Encoding: gzip,deflate", f"X-Api-Key:{key}"]
    if form is not None:
        lines += [f"Content-Length: {len(form)}", "Content-Type: application/x-www-form-urlencoded"]
    elif method == "PUT":
        lines.append("Content-Length: 0")
    return ("\r\n".join(lines) + "\r\n\r\n" + (form or "")).encode()


def test_php_curl_bytes_over_a_socket(podium: Podium, address: tuple[str, int]) -> None:
    """Create, list with the suffix after the query, and a bare PUT, byte for byte."""
    key = api_key(podium)
    host = f"{address[0]}:{address[1]}"
    status, headers, raw = exchange(
        address, curl("POST", "/v1/conferences.json", key, host, PHP_WEBINAR)
    )
    assert status == 201
    assert headers["content-type"] == "application/json"
    room = json.loads(raw)["room"]
    status, _, raw = exchange(address, curl("GET", "/v1/conferences/active?page=1.json", key, host))
    assert (status, [r["id"] for r in json.loads(raw)]) == (200, [room["id"]])
    status, _, raw = exchange(address, curl("PUT", f"/v1/conferences/{room['id']}.json", key, host))
    assert (status, json.loads(raw)["conference"]["name"]) == (200, "Quarterly Review")
    status, _, raw = exchange(address, curl("GET", "/v1/ping.json", "pdm_wrong", host))
    assert (status, json.loads(raw)["code"]) == (401, 401)
