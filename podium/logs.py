"""How every process logs: JSON lines in production, plain text in development, quiet at INFO.

``configure(settings)`` is called once by each ``podium`` command before it does anything else.
``PODIUM_LOG_FORMAT`` picks ``json`` (one object per line, for a log shipper) or ``text``
(for a person at a terminal); unset, production gets JSON and everything else text.

Every record carries ``request_id``: the id of the HTTP request being answered in that context
(``api.last_resort`` sets ``REQUEST_ID``; contextvars follow it into the thread a sync route
runs in), or ``-`` outside a request. Work that repeats on a timer (the scheduler's job runs)
logs at DEBUG, so INFO says only what changed.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar
from typing import TYPE_CHECKING

from pythonjsonlogger.json import JsonFormatter

if TYPE_CHECKING:
    from podium.settings import Settings

REQUEST_ID: ContextVar[str] = ContextVar("podium_request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
# Loggers that say the same thing on every tick of a timer: what they say is DEBUG for us.
PERIODIC = ("apscheduler.executors.default", "apscheduler.scheduler")
# Chatter that is never an operator's business at INFO.
QUIET = {"mail.log": logging.WARNING, "aiortc": logging.WARNING, "aioice": logging.WARNING}


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record a handler formats."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = REQUEST_ID.get()
        return True


class Demote(logging.Filter):
    """Turns a logger's INFO records into DEBUG ones (kept only when DEBUG is on)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        return True


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "name": "logger"})
    return logging.Formatter(TEXT_FORMAT)


def chosen_format(settings: Settings) -> str:
    if settings.log_format != "auto":
        return settings.log_format
    return "json" if settings.environment == "production" else "text"


def configure(settings: Settings) -> None:
    """One handler on the root logger, to stderr, in the chosen format and level."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(chosen_format(settings)))
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in PERIODIC:
        periodic = logging.getLogger(name)
        if not any(isinstance(f, Demote) for f in periodic.filters):
            periodic.addFilter(Demote())
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(max(level, root.level))
