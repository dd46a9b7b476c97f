"""What a process needs before it can serve, each failure said in one line.

A second ``make run`` on one machine, a data directory Podium cannot write, a mistyped setting:
each is something the person starting Podium can fix, so each ends the process with one line on
stderr saying what and where, and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError

from podium.settings import Settings

SINK_OFFSET = 25  # PORT 8000 -> mail sink 8025, the long-standing default; 9000 -> 9025
SINK_ATTEMPTS = 3  # ports the system picks, tried after the derived one
EXIT_STARTUP = 2


class StartupError(Exception):
    """Podium cannot start; the message says why in one line, for a person."""


def _reason(error: BaseException) -> str:
    """One line for an error, whatever its kind."""
    if isinstance(error, ValidationError):
        problems = []
        for item in error.errors():
            where = "PODIUM_" + "_".join(str(part) for part in item["loc"]).upper()
            problems.append(f"{where}: {item['msg']}" if item["loc"] else str(item["msg"]))
        return "bad setting " + "; ".join(problems)
    if isinstance(error, StartupError):
        return str(error)
    text = " ".join(str(error).split()) or type(error).__name__
    return text if isinstance(error, OSError) else f"{type(error).__name__}: {text}"


@contextmanager
def one_line_failures(what: str) -> Iterator[None]:
    """Turn any failure inside into ``podium: cannot <what>: <reason>`` and exit 2."""
    try:
        yield
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as error:  # anything at start-up is said, not dumped
        typer.echo(f"podium: cannot {what}: {_reason(error)}", err=True)
        raise typer.Exit(EXIT_STARTUP) from None


def settings() -> Settings:
    """The settings from the environment, or a StartupError naming the bad one."""
    try:
        return Settings()
    except ValidationError as error:
        raise StartupError(_reason(error)) from None


def listen(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket for the API, or a StartupError saying what to change."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on accepted sockets that say TCP, and
    # without it every keep-alive answer waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        hint = " (another Podium? start this one with PORT=<free port>)"
        used = error.errno == errno.EADDRINUSE
        reason = "the port is already in use" + hint if used else (error.strerror or str(error))
        raise StartupError(f"listen on {host}:{port}: {reason}") from None
    return sock


def sink_ports(settings: Settings) -> Iterator[int]:
    """Where to try the development mail sink, in order: PODIUM_SMTP_PORT alone if set; else
    the API's port + 25 (a second ``make run`` must not fight the first for 8025), then a few
    ports the system picks: another process may take a port between a probe and the bind."""
    if "smtp_port" in settings.model_fields_set:
        yield settings.smtp_port
        return
    derived = settings.port + SINK_OFFSET
    if derived <= 65535:
        yield derived
    for _ in range(SINK_ATTEMPTS):
        with socket.socket() as probe:
            probe.bind((settings.smtp_host, 0))
            picked = int(probe.getsockname()[1])
        yield picked  # once the probe has let go of it
