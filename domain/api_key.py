"""The ApiKey aggregate: a credential for X-Api-Key, stored only as its SHA-256 digest.

Its id derives from the digest, so presenting a key finds it without a scan or an index.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import derived_id


class ApiKey(Aggregate):
    """One API key of one login."""

    class Issued(Aggregate.Created):
        digest: str
        account_id: UUID
        login_id: UUID
        label: str
        at: datetime

    @staticmethod
    def create_id(digest: str, account_id: UUID, login_id: UUID, label: str, at: datetime) -> UUID:
        return ApiKey.id_for(digest)

    @staticmethod
    def id_for(digest: str) -> UUID:
        return derived_id("api-key", digest)

    @event(Issued)
    def __init__(
        self, digest: str, account_id: UUID, login_id: UUID, label: str, at: datetime
    ) -> None:
        self.account_id = account_id
        self.login_id = login_id
        self.label = label
        self.revoked = False

    def revoke(self, at: datetime) -> None:
        if not self.revoked:
            self._revoked(at)

    @event("Revoked")
    def _revoked(self, at: datetime) -> None:
        self.revoked = True
