"""A real ``podium serve`` in a subprocess, on its own store and free ports, for HTTP benches.

The server is started from a given ``podium`` executable (a console script of some venv), so
one harness can measure two checkouts of Podium: whatever that venv has installed is what runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from podium.settings import Settings

START_TIMEOUT = 90.0  # a cold start migrates a fresh store; on a shared machine that is slow
STOP_TIMEOUT = 15.0
_CLOCK_TICK = os.sysconf("SC_CLK_TCK")

# How the server keeps its read models, as ``make run`` and the deployment do it:
# "inline": projections in the request (PODIUM_PROJECT_INLINE=true, `make run`'s default);
# "off": the in-process projector thread of `serve` (workers on) does it, answers wait for it;
# "off-nowait": the same, but answers do not wait (PODIUM_READ_YOUR_WRITES_TIMEOUT=0): the
# write alone. Code older than that setting ignores it, and never waited with inline off.
MODES: dict[str, dict[str, str]] = {
    "inline": {"PODIUM_PROJECT_INLINE": "true"},
    "off": {"PODIUM_PROJECT_INLINE": "false"},
    "off-nowait": {"PODIUM_PROJECT_INLINE": "false", "PODIUM_READ_YOUR_WRITES_TIMEOUT": "0"},
}


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(settings: Settings, mode: str, port: int, smtp_port: int) -> dict[str, str]:
    """This process's environment without any PODIUM_* of its own, plus the server's."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    return {
        **inherited,
        **settings.store_variables(),
        **MODES[mode],
        "PODIUM_ENVIRONMENT": "development",
        "PODIUM_HOST": "127.0.0.1",
        "PODIUM_PORT": str(port),
        # The development mail sink (as `make run` starts it) on a port of its own, so two
        # servers, or a developer's `make run`, never collide on 8025.
        "PODIUM_SMTP_PORT": str(smtp_port),
        # Sign-up and log-in are rate limited per client address (code from decision 0008 on;
        # older code ignores these): the bench signs up all its accounts from one address.
        "PODIUM_LIMIT_SIGN_UP_PER_ADDRESS": "",
        "PODIUM_LIMIT_LOG_IN_PER_ADDRESS": "",
    }


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds process ``pid`` has used (0.0 where /proc is unreadable)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state is fields[0]
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICK


def revision(podium: Path) -> str:
    """The git commit of the checkout a venv's ``podium`` lives in ("?" when unknown)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(podium.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return "?"
    return done.stdout.strip() or "?"


@dataclass
class Server:
    """A running ``podium serve``: where it answers and how much CPU it has used."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def cpu_seconds(self) -> float:
        return process_cpu_seconds(self.process.pid)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(base_url=url, timeout=5.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"podium serve exited with {process.returncode}:\n{tail}")
            try:
                if client.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(0.1)
    raise RuntimeError(f"podium serve gave no healthy answer in {START_TIMEOUT:.0f} s ({log})")


@contextmanager
def serving(podium: Path, settings: Settings, mode: str) -> Iterator[Server]:
    """``podium serve`` (workers on, as ``make run``) in ``mode`` until the block ends."""
    port, smtp_port = free_port(), free_port()
    log = settings.data_dir / f"serve-{mode}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(podium), "serve"],
            env=server_env(settings, mode, port, smtp_port),
            cwd=settings.data_dir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, log)
        yield Server(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
