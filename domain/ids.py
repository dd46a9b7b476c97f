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


HANDLE_DIGITS = 16
LEGACY_HANDLE_DIGITS = 8


def account_handle(account_id: UUID) -> str:
    """The account's handle in its room URLs (``<base>/<handle>/<name_url>``): 16 hex digits.

    They are the id's hex digits without its version and variant digits (positions 12 and 16),
    so all 64 bits vary: random for a uuid4, hash output for a derived uuid5. By the birthday
    bound, n accounts share a handle with probability at most n(n-1)/2 / 2**64: about 3e-8 for a
    million accounts, 3e-6 for ten million, 3e-4 for a hundred million. The 8 digits used before
    gave 32 bits: even odds of a shared handle at 77,000 accounts, near certainty at a million.
    A shared handle would cost a URL name a numeric suffix, never a wrong room: addresses are
    claimed per (handle, name_url) in the event store (``domain.room.RoomAddress``).

    The first 8 digits are the legacy handle, so the read model's migration can compute both
    in plain SQL for rooms it already holds.
    """
    digits = account_id.hex
    return digits[:12] + digits[13:16] + digits[17]


def legacy_account_handle(account_id: UUID) -> str:
    """The 8-digit handle room URLs had before ``account_handle``; those URLs still resolve."""
    return account_id.hex[:LEGACY_HANDLE_DIGITS]
