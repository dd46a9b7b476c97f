"""The event feed's wire format: which Kafka topic an event goes to, its key, headers and value.

One topic per bounded context (``<prefix>accounts``, ``<prefix>live``, ...), keyed by the
aggregate's id so every event of one aggregate goes through one partition, in version order.
The value is a schema-versioned JSON envelope of the event *as the store's mapper decodes it*
(upcast to its current version, so a consumer never sees an old shape):

    {"schema": 1, "id": 42, "topic": "domain.room:Room.Created", "context": "rooms",
     "aggregate_id": "…", "version": 1, "timestamp": "2026-…+00:00", "data": {…},
     "sealed": []}

``id`` is the notification id: the event's position in the one global order, which consumers
deduplicate and resume by. ``sealed`` names fields of ``data`` whose values are ciphertext.
Values the store already seals (card secrets) stay sealed here; crypto-shredding of personal
fields (a later issue) will seal more and list them, without a new schema version, so
consumers must treat a sealed field as opaque.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import orjson

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
        },
        default=_plain,
        option=orjson.OPT_NON_STR_KEYS,
    )


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
