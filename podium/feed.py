"""The event feed's wire format: which Kafka topic an event goes to, its key, headers and value.

One topic per bounded context (``<prefix>accounts``, ``<prefix>live``, ...), keyed by the
aggregate's id so every event of one aggregate goes through one partition, in version order.
The value is a schema-versioned JSON envelope of the event *as the store's mapper decodes it*
(upcast to its current version, so a consumer never sees an old shape):

    {"schema": 1, "id": 42, "topic": "domain.room:Room.Created", "context": "rooms",
     "aggregate_id": "…", "version": 1, "timestamp": "2026-…+00:00", "data": {…},
     "sealed": [], "types": [[["starts_at"], "datetime"]]}

``id`` is the notification id: the event's position in the one global order, which consumers
deduplicate and resume by. ``sealed`` names fields of ``data`` whose values are ciphertext.
Values the store already seals (card secrets) stay sealed here; crypto-shredding of personal
fields (a later issue) will seal more and list them, without a new schema version, so
consumers must treat a sealed field as opaque.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Final
from uuid import UUID

import orjson
from eventsourcing.utils import get_topic, resolve_topic

SCHEMA: Final = 1

# Domain module -> bounded context (ARCHITECTURE.md's cut). Every module of domain/ that
# defines aggregates is listed (tests/unit/test_feed.py checks), so a new one is a decision,
# not a silent fall into OTHER.
CONTEXTS: Final[Mapping[str, str]] = {
    "domain.account": "accounts",
    "domain.login": "accounts",
    "domain.api_key": "accounts",
    "domain.subaccount": "accounts",
    "domain.ledger": "billing",
    "domain.room": "rooms",
    "domain.access": "access",
    "domain.contact": "contacts",
    "domain.mail": "mail",
    "domain.live_session": "live",
    "domain.admission": "live",
    "domain.dial_in": "live",
    "domain.session_report": "live",
    "domain.webhook": "integrations",
    "domain.idempotency": "system",
}
LIVE_PACKAGE: Final = "domain.live."
OTHER: Final = "other"


def context_of(topic: str) -> str:
    """The bounded context of an event topic (``module:Class.Event``)."""
    module = topic.partition(":")[0]
    if module.startswith(LIVE_PACKAGE):
        return "live"
    return CONTEXTS.get(module, OTHER)


def contexts() -> list[str]:
    """Every context a topic can be made for."""
    return sorted({*CONTEXTS.values(), "live", OTHER})


def kafka_topic(prefix: str, context: str) -> str:
    return f"{prefix}{context}"


def _plain(value: Any) -> Any:
    """What orjson cannot write itself, as JSON."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    if isinstance(value, bytes):
        return value.hex()
    return str(value)  # Decimal, Path, and whatever a value object reduces to


ENVELOPE_FIELDS: Final = ("originator_id", "originator_version", "timestamp")


def envelope(notification_id: int, topic: str, event: Any) -> bytes:
    """The JSON value of one event on the feed."""
    data = {key: value for key, value in vars(event).items() if key not in ENVELOPE_FIELDS}
    return orjson.dumps(
        {
            "schema": SCHEMA,
            "id": notification_id,
            "topic": topic,
            "context": context_of(topic),
            "aggregate_id": str(event.originator_id),
            "version": event.originator_version,
            "timestamp": event.timestamp.isoformat(),
            "data": data,
            "sealed": [],
            "types": types_in(data),
        },
        default=_plain,
        option=orjson.OPT_NON_STR_KEYS,
    )


Path = list[str | int]


def types_in(data: Any, path: Path | None = None) -> list[list[Any]]:
    """``[path, kind]`` for every value of ``data`` that JSON writes as a string but Python
    reads as a type (a UUID, datetime, date, enum), at any depth: a field annotated ``Any``
    (a room's settings) nests them, so annotations alone cannot say. An addition to schema 1:
    a reader that ignores it still reads the JSON it always did."""
    path = path or []
    if type(data) in (str, int, float, bool, type(None)):
        return []
    if isinstance(data, dict):
        return [t for key, item in data.items() for t in types_in(item, [*path, key])]
    if isinstance(data, list | tuple):
        return [t for i, item in enumerate(data) for t in types_in(item, [*path, i])]
    if isinstance(data, UUID):
        return [[path, "uuid"]]
    if isinstance(data, datetime):
        return [[path, "datetime"]]
    if isinstance(data, date):
        return [[path, "date"]]
    if isinstance(data, Enum):
        return [[path, f"enum {get_topic(type(data))}"]]
    return []


def _retype(kind: str, value: Any) -> Any:
    if kind == "uuid":
        return UUID(value)
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind.startswith("enum "):
        return resolve_topic(kind.removeprefix("enum "))(value)
    raise ValueError(f"unknown type {kind!r} in a feed value")


def _set_typed(data: Any, path: Path, kind: str) -> None:
    *parents, last = path
    for step in parents:
        data = data[step]
    data[last] = _retype(kind, data[last])


def headers(notification_id: int, topic: str, event: Any) -> list[tuple[str, bytes]]:
    """What a consumer may route on without parsing the value."""
    timestamp = event.timestamp
    return [
        ("podium-schema", str(SCHEMA).encode()),
        ("podium-topic", topic.encode()),
        ("podium-version", str(event.originator_version).encode()),
        ("podium-notification-id", str(notification_id).encode()),
        (
            "podium-time",
            (timestamp.isoformat() if isinstance(timestamp, datetime) else str(timestamp)).encode(),
        ),
    ]


def key(event: Any) -> bytes:
    return str(event.originator_id).encode()


def read(value: bytes) -> dict[str, Any]:
    """A feed value back as a dict (``schema`` checked: a newer one is not guessed at)."""
    parsed: dict[str, Any] = orjson.loads(value)
    if parsed.get("schema") != SCHEMA:
        raise ValueError(f"feed value of schema {parsed.get('schema')!r}; this reads {SCHEMA}")
    return parsed


# --- events back from the feed ----------------------------------------------------------------


def event_of(value: bytes | Mapping[str, Any]) -> Any:
    """The typed domain event a feed value carries, as the store's mapper would decode it.

    The envelope's ``data`` is plain JSON (a contract for any consumer, in any language); a
    Python consumer wants the event itself. The class is resolved from ``topic``; the values
    ``types`` lists are rebuilt (UUIDs, datetimes, dates, enums, at any depth); the store's
    transcoder keeps no other types, so nothing else needs rebuilding. (Annotations alone
    cannot do it: fields annotated ``dict[str, Any]``, a room's settings, nest datetimes.)
    Sealed fields stay opaque.
    """
    parsed = read(value) if isinstance(value, bytes | bytearray) else dict(value)
    cls = resolve_topic(parsed["topic"])
    sealed = set(parsed.get("sealed") or ())
    state: dict[str, Any] = dict(parsed["data"])
    for path, kind in parsed.get("types", ()):
        if path and path[0] not in sealed:
            _set_typed(state, path, kind)
    state["originator_id"] = UUID(parsed["aggregate_id"])
    state["originator_version"] = int(parsed["version"])
    state["timestamp"] = datetime.fromisoformat(parsed["timestamp"])
    event = object.__new__(cls)
    object.__setattr__(event, "__dict__", state)  # as eventsourcing's mapper does
    return event
