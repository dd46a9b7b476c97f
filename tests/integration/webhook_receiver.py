"""A real HTTP receiver of webhooks on loopback: records what arrives, can fail or hold."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    """What a test controls: ``fail`` answers that many requests with ``fail_status``;
    ``hold`` (when cleared) keeps each request waiting until it is set."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    fail: int = 0
    fail_status: int = 500
    hold: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    held: int = 0

    def __post_init__(self) -> None:
        self.hold.set()

    @property
    def delivered(self) -> list[dict[str, Any]]:
        """The bodies answered 2xx, in the order they arrived."""
        return [r.json for r in self.received if r.headers.get("x-answered") == "200"]

    def wait_for(self, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        """Wait until ``count`` deliveries were answered 2xx; return them."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.delivered) >= count, timeout)
        return self.delivered


@contextmanager
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with state.arrived:
                state.held += 1
                state.arrived.notify_all()
            state.hold.wait(30)
            with state.arrived:
                state.held -= 1
                failing = state.fail > 0
                state.fail -= 1 if failing else 0
            status = state.fail_status if failing else 200
            # Recorded before answering, as a receiver acts before its answer is on the wire:
            # the sender may be gone by then (killed mid-delivery).
            with state.arrived:
                state.received.append(Received({**headers, "x-answered": str(status)}, body))
                state.arrived.notify_all()
            with contextlib.suppress(OSError):
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.hold.set()
        server.shutdown()
        server.server_close()
