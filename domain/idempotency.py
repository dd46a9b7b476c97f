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

# Version 1 records stored the HTTP status a command used to answer; each was one of these.
OUTCOME_OF_V1_STATUS = {
    200: "done",
    201: "created",
    202: "accepted",
    401: "credentials_refused",
    402: "payment_declined",
}


class IdempotencyRecord(CheapCopy, Aggregate):
    """What one (caller, key) pair was answered."""

    class Recorded(Aggregate.Created):
        class_version = 2
        scope: str
        key: str
        fingerprint: str
        outcome: str  # v2: the name of the command's Outcome (commands.unit_of_work)
        body: dict[str, Any]

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["outcome"] = OUTCOME_OF_V1_STATUS[state.pop("status")]

    @staticmethod
    def create_id(
        scope: str, key: str, fingerprint: str, outcome: str, body: dict[str, Any]
    ) -> UUID:
        return IdempotencyRecord.id_for(scope, key)

    @staticmethod
    def id_for(scope: str, key: str) -> UUID:
        return derived_id("idempotency", f"{scope}\x1f{key}")

    @event(Recorded)
    def __init__(
        self, scope: str, key: str, fingerprint: str, outcome: str, body: dict[str, Any]
    ) -> None:
        self.fingerprint = fingerprint
        self.outcome = outcome
        self.body = body
