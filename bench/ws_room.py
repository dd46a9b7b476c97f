"""1,000 WebSocket clients in one room of one ``podium serve``, beside a bare broadcast.

    eval "$(scripts/ensure-postgres.sh 2>/dev/null)"
    .venv/bin/python -m bench.ws_room --store sqlite --clients 1000

Phases against a real ``podium serve`` (workers on, inline projection, as ``make run``):
1. join storm: ``clients`` POST /rooms/{id}/join at once into a room of exactly that many
   seats; every join must be admitted on its own seat, and one more must be refused as full;
2. connect storm: every client opens /ws/rooms/{id} with its credential and gets a snapshot;
3. fan-out: one of four presenters (joined by the presenter link, with no socket) leaves: an
   event for everyone, as a chat message would be; the latency is from just before the POST
   to each client's receipt of the event;
4. reconnect storm: all clients drop, the other three presenters leave meanwhile, all
   reconnect with ``since=`` their last position; each must get exactly those three events,
   then a live fourth (the first presenter comes back);
5. mode change: the host turns the audio to Q&A (``audio.mode_changed``), latency to all.
Resident memory of the server is read with all clients connected. Then the same number of
clients on ``bench.ws_bare`` (uvicorn, no Podium) get the fan-out's very frame, and the two
latencies are printed with their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import orjson
import websockets
from websockets.asyncio.client import ClientConnection

from bench.http_server import free_port, serving
from bench.stores import StoreKind, fresh_store

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
CARD_OK = "4242424242424242"
TARGET_JOIN_S, TARGET_P99_MS, TARGET_RSS_MB = 10.0, 100.0, 400.0


@dataclass(eq=False)
class RoomClient:
    """One socket: every event it got, with when, and the frames that were not events."""

    n: int
    credential: str
    socket: ClientConnection | None = None
    events: list[tuple[float, dict[str, Any]]] = field(default_factory=list)
    frames: list[dict[str, Any]] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    reader: asyncio.Task[None] | None = None

    @property
    def position(self) -> int:
        positions = [e["position"] for _, e in self.events]
        snapshots = [f["position"] for f in self.frames if f["type"] == "snapshot"]
        return max(positions + snapshots, default=0)

    async def read(self) -> None:
        assert self.socket is not None
        async for message in self.socket:
            now = time.perf_counter()
            frame = orjson.loads(message)
            if frame["type"] == "events":
                self.events.extend((now, event) for event in frame["events"])
            elif frame["type"] == "ping":
                await self.socket.send('{"action":"pong"}')
            else:
                frame["at"] = now
                self.frames.append(frame)
            self.changed.set()

    async def until(self, condition: Callable[[RoomClient], bool], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self):
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"client {self.n} waited {timeout} s")
            await asyncio.wait_for(self.changed.wait(), left)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def set_up_room(url: str, seats: int) -> tuple[str, dict[str, str], str]:
    """An owner on the plan with ``seats`` attendees, a permanent room of that many seats,
    its session started; the room id and the owner's headers."""
    with httpx.Client(base_url=url, timeout=30) as http:
        email = "host@bench.example"
        body = {"name": "Bench", "email": email, "password": PASSWORD}
        http.post("/accounts", json=body).raise_for_status()
        key = http.post("/sessions", json={"email": email, "password": PASSWORD}).json()
        headers = {"X-Api-Key": key["api_key"]}
        card = {"kind": "card", "number": CARD_OK}
        http.put("/account/payment-method", json=card, headers=headers).raise_for_status()
        plan = {"plan_id": "live-1000"}
        http.post("/account/subscription", json=plan, headers=headers).raise_for_status()
        room_body = {
            "name": "Town hall",
            "timezone": "UTC",
            "permanent": True,
            "starts_at": None,
            "attendee_limit": seats,
        }
        room = http.post("/rooms", json=room_body, headers=headers)
        room.raise_for_status()
        room_id, link = room.json()["room_id"], room.json()["role_links"]["presenter"]
        http.post(f"/rooms/{room_id}/sessions", headers=headers).raise_for_status()
    return room_id, headers, link


async def join_storm(url: str, room_id: str, clients: int, concurrency: int) -> dict[str, Any]:
    # Idle connections are let go before uvicorn's 5 s keep-alive timeout closes them under a
    # request (under load a connection can wait that long between two joins).
    limits = httpx.Limits(
        max_connections=concurrency, max_keepalive_connections=concurrency, keepalive_expiry=2
    )
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:

        async def join(n: int) -> httpx.Response:
            body = {"nickname": f"P{n}", "email": f"p{n}@bench.example"}
            return await http.post(f"/rooms/{room_id}/join", json=body)

        started = time.perf_counter()
        answers = await asyncio.gather(*(join(n) for n in range(clients)))
        elapsed = time.perf_counter() - started
        extra = await join(clients)
    admitted = [a.json() for a in answers if a.status_code == 200]
    seats = [a["seat"] for a in admitted]
    return {
        "seconds": elapsed,
        "admitted": len(admitted),
        "refused": len(answers) - len(admitted),
        "seats_distinct": len(set(seats)) == len(seats),
        "max_seat": max(seats, default=0),
        "one_more_refused": extra.status_code == 409,
        "credentials": [a["credential"] for a in admitted],
    }


async def connect(base: str, room_id: str, client: RoomClient, since: int | None) -> None:
    query = f"?credential={client.credential}" + (f"&since={since}" if since else "")
    client.socket = await websockets.connect(
        f"{base}/ws/rooms/{room_id}{query}", max_size=None, ping_interval=None, open_timeout=60
    )
    client.reader = asyncio.create_task(client.read())


PRESENTERS = 4  # the plan's presenters, with no socket: their comings and goings are sent


async def presenters(url: str, room_id: str, link: str, only: int | None = None) -> list[str]:
    role_hash = parse_qs(urlsplit(link).query)["role"][0]
    credentials = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        for n in range(PRESENTERS) if only is None else [only]:
            body = {"nickname": f"S{n}", "email": f"s{n}@bench.example", "role_hash": role_hash}
            answer = await http.post(f"/rooms/{room_id}/join", json=body)
            answer.raise_for_status()
            credentials.append(answer.json()["credential"])
    return credentials


async def leave(url: str, room_id: str, credential: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        body = {"credential": credential}
        (await http.post(f"/rooms/{room_id}/leave", json=body)).raise_for_status()


def lefts(client: RoomClient) -> list[tuple[float, dict[str, Any]]]:
    return [(t, e) for t, e in client.events if e["kind"].startswith("admission.")]


def seen_lefts(count: int) -> Callable[[RoomClient], bool]:
    return lambda c: len(lefts(c)) >= count


def latencies(
    clients: list[RoomClient], when: Callable[[RoomClient], float], t0: float
) -> dict[str, float]:
    ms = [(when(c) - t0) * 1000 for c in clients]
    return {
        "p50_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99),
        "max_ms": max(ms),
        "spread_ms": max(ms) - min(ms),  # first client to last: the fan-out alone
    }


async def podium_phases(
    url: str, pid: int, room_id: str, headers: dict[str, str], link: str, args: Any
) -> tuple[dict[str, Any], str]:
    results: dict[str, Any] = {}
    storm = await join_storm(url, room_id, args.clients, args.concurrency)
    credentials = storm.pop("credentials")
    if args.joins_only:
        return {"join_storm": storm}, ""
    reserved = await presenters(url, room_id, link)
    await leave(url, room_id, reserved[3])  # warm-up: the first leave of a process is slow
    reserved[3] = (await presenters(url, room_id, link, only=3))[0]
    results["join_storm"] = storm
    ws = url.replace("http://", "ws://")
    clients = [RoomClient(n, c) for n, c in enumerate(credentials)]
    started = time.perf_counter()
    for chunk in range(0, len(clients), args.concurrency):
        batch = clients[chunk : chunk + args.concurrency]
        await asyncio.gather(*(connect(ws, room_id, c, None) for c in batch))
    await asyncio.gather(
        *(c.until(lambda c: any(f["type"] == "snapshot" for f in c.frames), 120) for c in clients)
    )
    results["connect_storm"] = {"seconds": time.perf_counter() - started}
    results["rss_mb_connected"] = rss_mb(pid)

    t0 = time.perf_counter()
    await leave(url, room_id, reserved[0])
    results["fan_out_post_ms"] = (time.perf_counter() - t0) * 1000
    await asyncio.gather(*(c.until(seen_lefts(1), 60) for c in clients))
    results["fan_out"] = latencies(clients, lambda c: lefts(c)[0][0], t0)
    frame = lefts(clients[0])[0][1]
    payload = orjson.dumps({"type": "events", "events": [frame]}).decode()

    # Reconnect storm: all drop, three join meanwhile, all come back with since=.
    last = {c.n: c.position for c in clients}
    for c in clients:
        assert c.socket is not None
        await c.socket.close()
    await asyncio.gather(*(c.reader for c in clients if c.reader is not None))
    for c in clients:
        c.events.clear()
        c.frames.clear()
    for credential in reserved[1:4]:
        await leave(url, room_id, credential)
    started = time.perf_counter()
    for chunk in range(0, len(clients), args.concurrency):
        batch = clients[chunk : chunk + args.concurrency]
        await asyncio.gather(*(connect(ws, room_id, c, last[c.n]) for c in batch))
    await asyncio.gather(*(c.until(seen_lefts(3), 120) for c in clients))
    reconnect_seconds = time.perf_counter() - started
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        role_hash = parse_qs(urlsplit(link).query)["role"][0]
        body = {"nickname": "S0", "email": "s0@bench.example", "role_hash": role_hash}
        (await http.post(f"/rooms/{room_id}/join", json=body)).raise_for_status()
    await asyncio.gather(*(c.until(seen_lefts(4), 60) for c in clients))
    streams = [e["stream"] for _, e in lefts(clients[0])]
    exact = sum(
        [e["stream"] for _, e in c.events] == streams
        and len(set(streams)) == 4
        and all(f["type"] == "resumed" for f in c.frames)
        for c in clients
    )
    results["reconnect_storm"] = {
        "seconds": reconnect_seconds,
        "clients_exact": exact,
        "resumed": sum(any(f["type"] == "resumed" for f in c.frames) for c in clients),
    }
    results["rss_mb_after_reconnect"] = rss_mb(pid)

    t0 = time.perf_counter()
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        path = f"/rooms/{room_id}/audio/mode"
        (await http.post(path, json={"mode": "qa"}, headers=headers)).raise_for_status()
    changed = "audio.mode_changed"

    def heard(c: RoomClient) -> bool:
        return any(e["kind"] == changed for _, e in c.events)

    await asyncio.gather(*(c.until(heard, 60) for c in clients))
    results["mode_change"] = latencies(
        clients, lambda c: next(t for t, e in c.events if e["kind"] == changed), t0
    )
    for c in clients:
        assert c.socket is not None
        await c.socket.close()
    return results, payload


async def bare_phase(clients: int, payload: str, concurrency: int) -> dict[str, Any]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.ws_bare", str(port)], cwd=ROOT)
    try:
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url) as http:
            for _ in range(300):
                try:
                    (await http.get("/")).raise_for_status()
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        sockets = [RoomClient(n, "") for n in range(clients)]
        for chunk in range(0, clients, concurrency):
            batch = sockets[chunk : chunk + concurrency]

            async def open_one(c: RoomClient) -> None:
                c.socket = await websockets.connect(
                    f"ws://127.0.0.1:{port}/ws", max_size=None, ping_interval=None
                )
                c.reader = asyncio.create_task(c.read())

            await asyncio.gather(*(open_one(c) for c in batch))
        rss = rss_mb(process.pid)
        control = sockets[0].socket
        assert control is not None
        t0 = time.perf_counter()
        await control.send("broadcast:" + payload)
        await asyncio.gather(*(c.until(lambda c: bool(c.events), 60) for c in sockets))
        result = latencies(sockets, lambda c: c.events[0][0], t0)
        for c in sockets:
            assert c.socket is not None
            await c.socket.close()
        return {**result, "rss_mb_connected": rss}
    finally:
        process.terminate()
        process.wait(15)


def report(kind: str, podium: dict[str, Any], bare: dict[str, Any], clients: int) -> str:
    storm, fan, mode = podium["join_storm"], podium["fan_out"], podium["mode_change"]
    again = podium["reconnect_storm"]
    lines = [
        f"room bench, {kind}, {clients} clients, one podium serve process",
        f"join storm       {storm['seconds']:.2f} s (target < {TARGET_JOIN_S:.0f} s): "
        f"{storm['admitted']} admitted, {storm['refused']} refused, seats distinct "
        f"{storm['seats_distinct']}, highest seat {storm['max_seat']}, "
        f"one more refused {storm['one_more_refused']}",
        f"connect storm    {podium['connect_storm']['seconds']:.2f} s to every snapshot",
        f"fan-out          p50 {fan['p50_ms']:.1f} ms  p99 {fan['p99_ms']:.1f} ms  "
        f"max {fan['max_ms']:.1f} ms, first to last {fan['spread_ms']:.1f} ms "
        f"(target p99 < {TARGET_P99_MS:.0f} ms)",
        f"                 (the POST that caused it: {podium['fan_out_post_ms']:.1f} ms)",
        f"bare broadcast   p50 {bare['p50_ms']:.1f} ms  p99 {bare['p99_ms']:.1f} ms  "
        f"max {bare['max_ms']:.1f} ms, first to last {bare['spread_ms']:.1f} ms",
        f"ratio            p50 x{fan['p50_ms'] / bare['p50_ms']:.1f}  "
        f"p99 x{fan['p99_ms'] / bare['p99_ms']:.1f} (podium / bare)",
        f"mode change      p50 {mode['p50_ms']:.1f} ms  p99 {mode['p99_ms']:.1f} ms, "
        f"first to last {mode['spread_ms']:.1f} ms",
        f"reconnect storm  {again['seconds']:.2f} s, {again['resumed']} resumed, "
        f"{again['clients_exact']} got exactly what they missed",
        f"server RSS       {podium['rss_mb_connected']:.0f} MB connected (target < "
        f"{TARGET_RSS_MB:.0f} MB), {podium['rss_mb_after_reconnect']:.0f} MB after the "
        f"reconnect storm; bare server {bare['rss_mb_connected']:.0f} MB",
    ]
    return "\n".join(lines)


async def run(kind: StoreKind, args: argparse.Namespace) -> dict[str, Any]:
    scratch = ROOT / "var"
    scratch.mkdir(exist_ok=True)
    podium = Path(args.podium) if args.podium else Path(sys.executable).parent / "podium"
    with fresh_store(kind, scratch) as settings, serving(podium, settings, "inline") as server:
        room_id, headers, link = set_up_room(server.url, args.clients)
        try:
            results, payload = await podium_phases(
                server.url, server.process.pid, room_id, headers, link, args
            )
        except Exception:
            tail = server.log.read_text(errors="replace")[-3000:]
            print(f"the run failed; the server's log ends:\n{tail}", file=sys.stderr)
            raise
    if args.joins_only:
        storm = results["join_storm"]
        print(f"join storm, {kind}: {storm['seconds']:.2f} s for {args.clients}", flush=True)
        return {"store": kind, "podium": results}
    bare = await bare_phase(args.clients, payload, args.concurrency)
    print(report(kind, results, bare, args.clients), flush=True)
    return {"store": kind, "podium": results, "bare": bare}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ws_room", description=__doc__)
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100, help="requests/connects at once")
    parser.add_argument("--podium", help="the podium executable to serve (default: this venv's)")
    parser.add_argument("--joins-only", action="store_true", help="only the join storm")
    args = parser.parse_args(argv)
    kinds: list[StoreKind] = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    out = [asyncio.run(run(kind, args)) for kind in kinds]
    stamp = time.strftime("%Y%m%dT%H%M%S")
    (ROOT / "var" / f"bench-ws-room-{stamp}.json").write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
