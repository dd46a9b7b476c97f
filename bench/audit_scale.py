"""How `podium audit` scales: a store of N ledger events, then the audit's time and peak memory.

    .venv/bin/python -m bench.audit_scale --events 1000000 [--accounts 1000] [--store sqlite]

Builds the store through the domain (real Ledger aggregates, hashes and all, 1,000 events per
transaction), projects it, then runs `podium audit` in a child process and reports its peak
resident memory (getrusage of the child) and events per second. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

from domain.ledger import Ledger
from domain.money import Money
from podium.bootstrap import bootstrap
from podium.settings import Settings


def build(settings: Settings, events: int, accounts: int) -> float:
    """Append ``events`` ledger entries spread over ``accounts`` ledgers; return seconds."""
    podium = bootstrap(settings)
    started = time.perf_counter()
    per_account = events // accounts
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for n in range(accounts):
        ledger = Ledger(uuid4())
        for k in range(per_account):
            if k % 2 == 0:
                ledger.record("plan", Money(-(1000 + k)), "plan", f"r{k}", at)
            else:
                ledger.record("card_payment", Money(1000 + k - 1), "card", f"p{k}", at)
            if k % 1000 == 999:
                podium.store.save(ledger)
        podium.store.save(ledger)
        at += timedelta(minutes=1)
        if n % 100 == 99:
            print(f"  built {(n + 1) * per_account} events", file=sys.stderr, flush=True)
    built = time.perf_counter() - started
    podium.projector.catch_up()
    podium.close()
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="podium-audit-"))
    settings = Settings(store="sqlite", data_dir=data_dir)
    print(f"building {args.events} ledger events in {data_dir} ...", file=sys.stderr)
    built = build(settings, args.events, args.accounts)
    env = {**os.environ, "PODIUM_STORE": "sqlite", "PODIUM_DATA_DIR": str(data_dir)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "podium.cli", "audit"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(done.stdout.strip())
    print(f"events: {args.events}  accounts: {args.accounts}  build: {built:.1f} s")
    print(f"audit: exit {done.returncode}, {seconds:.1f} s, {args.events / seconds:,.0f} events/s")
    print(f"audit peak resident memory: {peak_mb:.0f} MB (limit 300 MB)")


if __name__ == "__main__":
    main()
