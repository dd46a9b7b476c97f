"""Deterministic aggregate ids, for the aggregates that are found by a natural key.

An id derived from the key makes uniqueness a property of the event store: two commands that
create the same key both try to write version 1 of the same stream and one of them fails.
"""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("6f2c1d9e-4b7a-5c3e-9d1f-0a8b7c6d5e4f")


def derived_id(kind: str, key: str) -> UUID:
    """The id of the ``kind`` aggregate whose natural key is ``key``."""
    return uuid5(NAMESPACE, f"{kind}:{key}")
