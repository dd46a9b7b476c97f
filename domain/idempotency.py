"""The IdempotencyRecord aggregate: the first answer to a request made with an Idempotency-Key.

Saved in the same transaction as the command's own events, so either both exist or neither; a
retry finds the record and gets the first answer, and two racing first tries collide on version
1 of this stream, so only one of them appends anything.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.ids import derived_id


class IdempotencyRecord(CheapCopy, Aggregate):
    """What one (caller, key) pair was answered."""

    class Recorded(Aggregate.Created):
        scope: str
        key: str
        fingerprint: str
        status: int
        body: dict[str, Any]

    @staticmethod
    def create_id(
        scope: str, key: str, fingerprint: str, status: int, body: dict[str, Any]
    ) -> UUID:
        return IdempotencyRecord.id_for(scope, key)

    @staticmethod
    def id_for(scope: str, key: str) -> UUID:
        return derived_id("idempotency", f"{scope}\x1f{key}")

    @event(Recorded)
    def __init__(
        self, scope: str, key: str, fingerprint: str, status: int, body: dict[str, Any]
    ) -> None:
        self.fingerprint = fingerprint
        self.status = status
        self.body = body
