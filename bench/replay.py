"""Room replay (decision 0029): the state of a 1-hour, 1,000-attendee session at random moments,
beside the raw read+decode of the same events in the same run.

    eval "$(scripts/ensure-postgres.sh 2>/dev/null)"
    .venv/bin/python -m bench.replay --store both --attendees 1000 --samples 20

One session is scripted through the HTTP API in process, on a clock moved by hand over an
hour: the attendees join over the first ten minutes, chat, raise and lower hands, answer a
poll, see a CTA, the audio mode changes, recording starts and stops, half of them leave, the
session ends. Then, for ``samples`` random positions of the session: the raw read of the room's
events up to there and their decoding (the floor under any replay), and the whole state there
as ``GET .../state?at=`` answers it. Prints p50/p99 of each and the ratio.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from api.app import create_app
from api.gateway.replay import replayer, session_of, state_at
from bench.measure import percentile
from bench.podium_load import build
from bench.stores import StoreKind, fresh_store
from podium.bootstrap import Podium
from podium.clock import ManualClock

PASSWORD, CARD_OK = "correct horse battery", "4242424242424242"
POLL: dict[str, Any] = {
    "name": "Sound?",
    "questions": [
        {"text": "Sound?", "kind": "single_choice", "choices": [{"text": "Good"}, {"text": "Bad"}]}
    ],
}
CTA = {
    "description": "Get the Pro plan",
    "button_text": "Buy",
    "url": "https://example.com",
    "minutes": 5,
}


def ok(response: Any) -> Any:
    if response.status_code >= 300:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text}")
    return response.json()


def script(client: TestClient, clock: ManualClock, attendees: int, seed: int) -> str:
    """The session; returns the room id."""
    rng = random.Random(seed)
    email = "host@bench.example"
    ok(client.post("/accounts", json={"name": "Bench", "email": email, "password": PASSWORD}))
    key = ok(client.post("/sessions", json={"email": email, "password": PASSWORD}))["api_key"]
    owner = {"X-Api-Key": key}
    ok(
        client.put(
            "/account/payment-method", json={"kind": "card", "number": CARD_OK}, headers=owner
        )
    )
    ok(client.post("/account/subscription", json={"plan_id": "live-1000"}, headers=owner))
    room = ok(
        client.post(
            "/rooms",
            json={
                "name": "Town hall",
                "timezone": "UTC",
                "permanent": True,
                "starts_at": None,
                "attendee_limit": attendees,
            },
            headers=owner,
        )
    )
    path = f"/rooms/{room['room_id']}"
    ok(client.post(f"{path}/sessions", headers=owner))
    people: list[dict[str, str]] = []
    for n in range(attendees):  # joins over the first ten minutes
        clock.advance(timedelta(seconds=600 / attendees))
        body = {"nickname": f"Guest {n}", "email": f"guest{n}@bench.example"}
        people.append(
            {"Podium-Attendance": ok(client.post(f"{path}/join", json=body))["credential"]}
        )
    poll = ok(client.post(f"{path}/polls", json=POLL, headers=owner))["poll_id"]
    moves: list[tuple[str, Any]] = []
    moves += [("chat", p) for p in rng.sample(people, min(300, attendees))]
    moves += [("hand", p) for p in rng.sample(people, min(100, attendees))]
    moves += [("answer", p) for p in rng.sample(people, min(500, attendees))]
    rng.shuffle(moves)
    fixed = {
        len(moves) // 5: "poll",
        len(moves) // 4: "cta",
        len(moves) // 3: "qa",
        len(moves) // 2: "rec on",
        2 * len(moves) // 3: "listen_only",
        3 * len(moves) // 4: "rec off",
    }
    step = timedelta(seconds=2700 / max(1, len(moves)))  # the next 45 minutes
    for i, (kind, person) in enumerate(moves):
        clock.advance(step)
        what = fixed.get(i)
        if what == "poll":
            ok(client.post(f"{path}/polls/{poll}/open", headers=owner))
        elif what == "cta":
            ok(client.post(f"{path}/ctas", json=CTA, headers=owner))
        elif what in ("qa", "listen_only"):
            ok(client.post(f"{path}/audio/mode", json={"mode": what}, headers=owner))
        elif what == "rec on":
            ok(client.post(f"{path}/recording/start", headers=owner))
        elif what == "rec off":
            ok(client.post(f"{path}/recording/stop", headers=owner))
        if kind == "chat":
            ok(client.post(f"{path}/chat/messages", json={"text": "hello"}, headers=person))
        elif kind == "hand":
            ok(client.post(f"{path}/hand", headers=person))
        elif kind == "answer" and i > len(moves) // 5:
            answer: dict[str, Any] = {"question_id": "q1", "choices": [rng.choice(["c1", "c2"])]}
            ok(client.post(f"{path}/polls/{poll}/answers", json=answer, headers=person))
    for person in people[: attendees // 2]:  # the last five minutes: half leave
        clock.advance(timedelta(seconds=300 / attendees))
        ok(client.post(f"{path}/leave", json={"credential": person["Podium-Attendance"]}))
    ok(client.post(f"{path}/sessions/current/end", headers=owner))
    return str(room["room_id"])


def measure(podium: Podium, room_id: str, samples: int, seed: int) -> dict[str, Any]:
    session = session_of(podium, UUID(room_id), 1)
    rng = random.Random(seed)
    moments = [rng.randint(session.first, session.last) for _ in range(samples)]
    engine = replayer(podium)
    state_at(podium, session, moments[0])  # the scratch template is made once a process
    raw, replays, sizes = [], [], []
    for position in moments:
        started = time.perf_counter()
        sizes.append(len(engine.events(room_id, position)))
        raw.append(time.perf_counter() - started)
        started = time.perf_counter()
        state_at(podium, session, position)
        replays.append(time.perf_counter() - started)
    raw.sort()
    replays.sort()
    events = podium.views.room_feed.count_after(room_id, 0, session.last)
    return {
        "events_in_session": events,
        "events_read_mean": sum(sizes) / len(sizes),
        "raw_p50_ms": percentile(raw, 0.5) * 1000,
        "raw_p99_ms": percentile(raw, 0.99) * 1000,
        "replay_p50_ms": percentile(replays, 0.5) * 1000,
        "replay_p99_ms": percentile(replays, 0.99) * 1000,
    }


def run(kind: StoreKind, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch, fresh_store(kind, Path(scratch)) as settings:
        podium = build(settings)
        clock = podium.clock
        assert isinstance(clock, ManualClock)
        clock.set(datetime(2026, 10, 15, 9, 0, tzinfo=UTC))
        try:
            with TestClient(create_app(podium)) as client:
                started = time.perf_counter()
                room_id = script(client, clock, args.attendees, args.seed)
                podium.projector.catch_up()
                print(
                    f"{kind}: session scripted in {time.perf_counter() - started:.0f} s", flush=True
                )
                return measure(podium, room_id, args.samples, args.seed)
        finally:
            podium.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.replay", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--attendees", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    kinds: list[StoreKind] = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    for kind in kinds:
        r = run(kind, args)
        print(
            f"{kind}: {r['events_in_session']} room events in the session, "
            f"{r['events_read_mean']:.0f} read a moment on average\n"
            f"  raw read+decode  p50 {r['raw_p50_ms']:.1f} ms  p99 {r['raw_p99_ms']:.1f} ms\n"
            f"  state at moment  p50 {r['replay_p50_ms']:.1f} ms  p99 {r['replay_p99_ms']:.1f} ms"
            f"  ({r['replay_p50_ms'] / r['raw_p50_ms']:.1f}x raw at p50)",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
