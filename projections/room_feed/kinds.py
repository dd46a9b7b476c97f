"""Which aggregates are the live room's, and what their events look like to a room client.

No list of kinds is kept (decision 0014): the room's aggregates are every ``Aggregate`` class
defined in a module of the ``domain.live`` package, plus ``LiveSession`` and ``Admission``, and
an event's kind and payload follow from its class and fields:
``ChatMessage.Posted`` is ``chat_message.posted``; the payload is the event's own fields.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from types import ModuleType
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.utils import get_topic

from domain.admission import Admission
from domain.live_session import LiveSession

LIVE_PACKAGE = "domain.live"
# The event's envelope, which says nothing to a room client (the frame carries the stream).
ENVELOPE = frozenset({"originator_id", "originator_version", "originator_topic", "timestamp"})
PRESENTERS, EVERYONE = "presenters", "all"
# Presenters only (decision 0014): a person's email, and who acted (``by``, ``..._by``), which
# the live room's events name by email too.
PRIVATE_FIELDS = frozenset({"email", "by"})
# On no one's socket, presenters' neither: a join's client (User-Agent, IP address, country) and
# a person's exit rating are for the organiser's attendance report only (decision 0027).
UNFED_FIELDS = frozenset({"client", "rating", "comment"})
PRIVATE_SUFFIXES = ("_email", "_by")


def private(field: str) -> bool:
    return field in PRIVATE_FIELDS or field.endswith(PRIVATE_SUFFIXES)


def may_hold_private(payload_json: str) -> bool:
    """Whether a payload's JSON could have a private field (cheap: no parse when it cannot)."""
    names = (*PRIVATE_FIELDS, *PRIVATE_SUFFIXES)
    return any(f'{name}"' in payload_json for name in names)


def _modules(package: str) -> list[ModuleType]:
    root = importlib.import_module(package)
    found = [root]
    for info in pkgutil.iter_modules(getattr(root, "__path__", []), prefix=f"{package}."):
        found.append(importlib.import_module(info.name))
    return found


def room_aggregates(package: str = LIVE_PACKAGE) -> list[type[Aggregate]]:
    """Every aggregate class a module of ``package`` defines, plus LiveSession and Admission."""
    found: dict[str, type[Aggregate]] = {}
    for cls in (LiveSession, Admission):
        found[get_topic(cls)] = cls
    for module in _modules(package):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Aggregate)
                and value.__module__ == module.__name__
            ):
                found[get_topic(value)] = value
    return list(found.values())


def event_classes(aggregate: type[Aggregate]) -> list[type[Aggregate.Event]]:
    """The event classes an aggregate class defines (its nested ``Aggregate.Event`` classes).

    Its ``Created`` is one even when eventsourcing made it (an aggregate that names no created
    event is created by it); only the per-class ``Event`` base is never appended itself."""
    return [
        value
        for value in vars(aggregate).values()
        if isinstance(value, type)
        and issubclass(value, Aggregate.Event)
        and value.__qualname__.startswith(f"{aggregate.__qualname__}.")
        and value.__qualname__.rsplit(".", 1)[-1] != "Event"
    ]


def room_topics(aggregates: Iterable[type[Aggregate]]) -> tuple[str, ...]:
    return tuple(get_topic(cls) for aggregate in aggregates for cls in event_classes(aggregate))


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def kind_of(event: object) -> str:
    """``chat_message.posted`` for ``ChatMessage.Posted``: aggregate, then event, snake-cased."""
    parts = type(event).__qualname__.split(".")
    return ".".join(_snake(part) for part in parts[-2:])


def is_created(event: object) -> bool:
    return isinstance(event, Aggregate.Created)


def routing(event: object) -> tuple[UUID, int, str] | None:
    """The (room, session, audience) a created event puts its stream in; None if it names no
    room (then it is no room event)."""
    fields = vars(event)
    room_id = fields.get("room_id")
    session = fields.get("session", fields.get("n"))
    if not isinstance(room_id, UUID) or not isinstance(session, int):
        return None
    audience = PRESENTERS if fields.get("audience") == PRESENTERS else EVERYONE
    return room_id, session, audience


def time_of(event: object) -> datetime | None:
    """The event's own time (the injected clock's), if it carries one as ``at``."""
    at = vars(event).get("at")
    return at if isinstance(at, datetime) else None


def iso(moment: datetime | str) -> str:
    """A feed time as ISO-8601 UTC text (which sorts and compares as the moments do)."""
    if isinstance(moment, str):
        return moment
    return moment.astimezone(UTC).isoformat()


def payload_of(event: object) -> dict[str, Any]:
    """The event's own fields, as JSON-ready values (never ``UNFED_FIELDS``)."""
    return {
        k: _plain(v) for k, v in vars(event).items() if k not in ENVELOPE and k not in UNFED_FIELDS
    }


def _plain(value: Any) -> Any:
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def public(payload: Any) -> Any:
    """What a listener may see of a payload: emails and who acted are presenters' only."""
    if isinstance(payload, dict):
        return {k: public(v) for k, v in payload.items() if not private(k)}
    if isinstance(payload, list):
        return [public(v) for v in payload]
    return payload
