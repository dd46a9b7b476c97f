"""HTTP writes per second of real ``podium serve`` processes, inline projection on and off.

    python -m bench.http_writes --podium after=.venv/bin/podium \\
        --podium before=../before/.venv/bin/podium --seconds 5 --threads 4 --repeat 3

For each ``podium`` executable given (each its own checkout's venv) and each mode (see
``bench.http_server.MODES``), a fresh store and server, all started at once, accounts signed up
over HTTP. Then, phase by phase, N client threads (one keep-alive httpx client each) send one
mix of requests to one server for a fixed time, the servers taking turns in alternating order.
``plans`` (GET /plans, no store access) is the HTTP floor of each server. The fastest of the
repeats is kept; every rate is in the JSON.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.http_server import MODES, Server, revision, serving
from bench.measure import Stats, run_threads
from bench.stores import fresh_store

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
CARD_OK = "4242424242424242"
STALE_HEADER = "Podium-Stale-Read-Models"
FLOOR = "plans"
WRITE_ALONE = "off-nowait"
# Each mix, with the read models its write changes (in the current code's topics).
MIXES = {
    "plans": "GET /plans: the HTTP floor (no store access)",
    "contacts": "POST /contacts: contacts, timeline",
    "rooms": "POST /rooms: rooms, timeline",
    "funds": "POST /account/funds by card: billing history, account summary, timeline",
    "mixed": "the three writes in turn",
}
WRITES = ("contacts", "rooms", "funds")
Key = tuple[str, str, str]  # target label, mode, mix


class UnexpectedStatus(Exception):
    """A request answered with other than 2xx (counted by status in the results)."""


@dataclass(frozen=True)
class Target:
    """One ``podium`` executable to measure, under a label for the tables."""

    label: str
    podium: Path


def target(text: str) -> Target:
    """``LABEL=PATH`` or ``PATH`` (labelled by its checkout's directory name)."""
    label, sep, path = text.partition("=")
    if not sep:
        label, path = "", text
    podium = Path(path).expanduser().absolute()  # the server runs in its data directory
    if not label:
        # .../<checkout>/.venv/bin/podium -> <checkout>
        label = podium.parent.parent.parent.name if len(podium.parts) > 3 else str(podium)
    return Target(label, podium)


def names(allowed: Sequence[str]) -> Any:
    def parse(text: str) -> list[str]:
        chosen = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in chosen if name not in allowed]
        if unknown or not chosen:
            raise argparse.ArgumentTypeError(
                f"{', '.join(unknown) or 'nothing'}: choose from {', '.join(allowed)}"
            )
        return chosen

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.http_writes", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--podium",
        type=target,
        action="append",
        help="[LABEL=]PATH of a `podium` executable; repeat to compare checkouts "
        "(default: this checkout's .venv/bin/podium)",
    )
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--modes", type=names(list(MODES)), default=list(MODES))
    parser.add_argument("--mixes", type=names(list(MIXES)), default=list(MIXES))
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--accounts", type=int, default=0, help="default: one per thread")
    parser.add_argument("--seconds", type=float, default=5.0, help="per measured phase")
    parser.add_argument("--warm-up", type=float, default=1.0, help="before each phase")
    parser.add_argument("--repeat", type=int, default=2, help="keep the fastest of R runs")
    args = parser.parse_args(argv)
    if min(args.threads, args.repeat) < 1 or args.seconds <= 0 or args.warm_up < 0:
        parser.error("--threads, --repeat, --seconds must be positive")
    args.accounts = args.accounts or args.threads
    if args.podium is None:
        args.podium = [Target("current", ROOT / ".venv" / "bin" / "podium")]
    labels = [t.label for t in args.podium]
    if len(set(labels)) != len(labels):
        parser.error(f"--podium labels must differ: {', '.join(labels)}")
    return args


# -- the load -------------------------------------------------------------------------------


def sign_up(url: str, accounts: int) -> list[str]:
    """``accounts`` new trial accounts, each with a card on file; their owners' API keys."""
    keys = []
    run = uuid.uuid4().hex[:8]
    with httpx.Client(base_url=url, timeout=30.0) as client:
        for n in range(accounts):
            email = f"bench-{run}-{n}@example.com"
            account = {"name": f"Bench {n}", "email": email, "password": PASSWORD}
            client.post("/accounts", json=account).raise_for_status()
            login = client.post("/sessions", json={"email": email, "password": PASSWORD})
            login.raise_for_status()
            key = str(login.json()["api_key"])
            card = {"kind": "card", "number": CARD_OK}
            client.put(
                "/account/payment-method", json=card, headers={"X-Api-Key": key}
            ).raise_for_status()
            keys.append(key)
    return keys


class Load:
    """The requests of each mix, from one keep-alive client per thread."""

    def __init__(self, url: str, keys: list[str], threads: int) -> None:
        self.clients = [httpx.Client(base_url=url, timeout=30.0) for _ in range(threads)]
        self.keys = keys
        self.serial = itertools.count()  # unique contacts, rooms and Idempotency-Keys
        self.starts_at = (datetime.now(UTC) + timedelta(days=7)).strftime("%Y-%m-%dT10:00:00")
        self.statuses: list[Counter[int]] = [Counter() for _ in range(threads)]
        self.stale: list[int] = [0] * threads

    def reset(self) -> None:
        for counter in self.statuses:
            counter.clear()
        self.stale = [0] * len(self.stale)

    def request(self, mix: str, thread: int) -> None:
        n = next(self.serial)
        client = self.clients[thread]
        if mix == FLOOR:
            response = client.get("/plans")
        else:
            write = WRITES[n % len(WRITES)] if mix == "mixed" else mix
            headers = {
                "X-Api-Key": self.keys[thread % len(self.keys)],
                "Idempotency-Key": f"bench-{n}-{uuid.uuid4().hex}",
            }
            path, body = self._write(write, n)
            response = client.post(path, json=body, headers=headers)
        self.statuses[thread][response.status_code] += 1
        if STALE_HEADER in response.headers:
            self.stale[thread] += 1
        if not 200 <= response.status_code < 300:
            raise UnexpectedStatus(str(response.status_code))

    def _write(self, write: str, n: int) -> tuple[str, dict[str, Any]]:
        if write == "contacts":
            return "/contacts", {"email": f"contact-{n}@example.com", "first_name": "Ada"}
        if write == "rooms":
            return "/rooms", {
                "name": f"Webinar {n}",
                "starts_at": self.starts_at,
                "timezone": "UTC",
            }
        return "/account/funds", {"amount": 100}

    def close(self) -> None:
        for client in self.clients:
            client.close()


def measure(server: Server, load: Load, mix: str, args: argparse.Namespace) -> Stats:
    """One mix for ``args.seconds`` after a warm-up; the server's CPU per request beside it."""
    if args.warm_up:
        run_threads(mix, lambda t, _: load.request(mix, t), args.threads, args.warm_up)
    load.reset()
    before = server.cpu_seconds()
    stats = run_threads(mix, lambda t, _: load.request(mix, t), args.threads, args.seconds)
    server_cores = (server.cpu_seconds() - before) / stats.seconds
    statuses: Counter[int] = Counter()
    for counter in load.statuses:
        statuses.update(counter)
    stats.extra |= {
        "server_cpu_ms_per_op": round(server_cores * stats.seconds * 1000 / max(1, stats.ops), 3),
        "server_cores": round(server_cores, 2),
        # The machine's other CPU use, neither this client nor the server: 0 when unshared.
        "rest_cores": round(max(0.0, stats.extra["others_cores"] - server_cores), 2),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "stale_answers": sum(load.stale),
    }
    return stats


@dataclass
class Running:
    """One server being measured: which checkout, in which mode, and its load."""

    target: Target
    mode: str
    server: Server
    load: Load


@contextmanager
def all_servers(args: argparse.Namespace) -> Iterator[list[Running]]:
    """A fresh store and server, accounts signed up, for each target in each mode, at once."""
    with ExitStack() as stack:
        running = []
        for current in args.podium:
            for mode in args.modes:
                print(f"starting {current.label} {mode}", file=sys.stderr)
                settings = stack.enter_context(fresh_store(args.store, ROOT / "var"))
                server = stack.enter_context(serving(current.podium, settings, mode))
                load = Load(server.url, sign_up(server.url, args.accounts), args.threads)
                stack.callback(load.close)
                running.append(Running(current, mode, server, load))
        yield running


def measure_all(args: argparse.Namespace) -> dict[Key, list[Stats]]:
    """Every mix on every server, ``args.repeat`` times, the servers taking turns phase by
    phase (in alternating order), so a busy moment of a shared machine hits all of them alike.
    """
    runs: dict[Key, list[Stats]] = {}
    with all_servers(args) as running:
        for repeat in range(args.repeat):
            for number, mix in enumerate(args.mixes):
                order = running if (repeat + number) % 2 == 0 else running[::-1]
                for current in order:
                    stats = measure(current.server, current.load, mix, args)
                    runs.setdefault((current.target.label, current.mode, mix), []).append(stats)
                    row = mix_row(current.mode, mix, stats)
                    print(f"{repeat + 1} {current.target.label:>8} {row}", file=sys.stderr)
    return runs


# -- the report -----------------------------------------------------------------------------


def ok_per_second(stats: Stats) -> float:
    """Answered requests a second: a failing request never makes a run look fast."""
    failed = sum(stats.errors.values())
    return (stats.ops - failed) / stats.seconds if stats.seconds else 0.0


def best_runs(runs: dict[Key, list[Stats]]) -> dict[Key, Stats]:
    """The fastest run of each (target, mode, mix); every run's rate is kept on it."""
    best = {}
    for key, stats in runs.items():
        fastest = max(stats, key=ok_per_second)
        fastest.extra["all_runs_per_second"] = [round(ok_per_second(s), 1) for s in stats]
        best[key] = fastest
    return best


def ratio(value: float, base: float | None) -> str:
    return f"{value / base:.2f}" if base else "-"


def mix_row(mode: str, mix: str, stats: Stats) -> str:
    return (
        f"{mode:>10} {mix:>8} {ok_per_second(stats):8.1f} {stats.latency(0.5):7.1f} "
        f"{stats.latency(0.99):7.1f} {stats.extra.get('server_cpu_ms_per_op', 0):7.2f} "
        f"{stats.extra.get('rest_cores', 0):5.2f} {sum(stats.errors.values()):5d} "
        f"{stats.extra.get('stale_answers', 0):5d}"
    )


HEADER = (
    "    target       mode      mix    req/s  p50 ms  p99 ms  srv ms  rest   err stale"
    "  x floor  x alone"
)


def table(best: dict[Key, Stats], targets: list[Target]) -> str:
    """Every row, with its rate over the same server's floor and over the write alone."""
    lines = [HEADER]
    labels = [t.label for t in targets]
    modes, mixes = list(MODES), list(MIXES)
    best = dict(
        sorted(
            best.items(),
            key=lambda item: (
                labels.index(item[0][0]),
                modes.index(item[0][1]),
                mixes.index(item[0][2]),
            ),
        )
    )
    for (label, mode, mix), stats in best.items():
        floor = best.get((label, mode, FLOOR))
        alone = best.get((label, WRITE_ALONE, mix))
        lines.append(
            f"{label:>10} {mix_row(mode, mix, stats)} "
            f"{ratio(ok_per_second(stats), ok_per_second(floor) if floor else None):>8} "
            f"{ratio(ok_per_second(stats), ok_per_second(alone) if alone else None):>8}"
        )
    if len(targets) > 1:
        first = targets[0].label
        lines += ["", f"req/s of each target over {first}'s:"]
        for (label, mode, mix), stats in best.items():
            base = best.get((first, mode, mix))
            if label != first and base is not None:
                lines.append(
                    f"{label:>10} {mode:>10} {mix:>8} "
                    f"{ratio(ok_per_second(stats), ok_per_second(base)):>6}"
                )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    (ROOT / "var").mkdir(exist_ok=True)
    revisions = {t.label: revision(t.podium) for t in args.podium}
    best = best_runs(measure_all(args))
    print(table(best, args.podium))
    report = {
        "started": datetime.now(UTC).isoformat(),
        "args": {**vars(args), "podium": {t.label: str(t.podium) for t in args.podium}},
        "revisions": revisions,
        "mixes": MIXES,
        "results": [
            {"target": label, "mode": mode, "mix": mix, **stats.as_dict()}
            for (label, mode, mix), stats in best.items()
        ],
    }
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = ROOT / "var" / f"bench-http-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"results written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
