"""The ApiKey aggregate: a credential for X-Api-Key, stored only as its SHA-256 digest.

Its id derives from the digest, so presenting a key finds it without a scan or an index.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.ids import derived_id

# Labels of keys a login gets by logging in (to its account, or a parent into a subaccount);
# no integration key may take them.
SESSION = "session"
SUBACCOUNT_SESSION = "subaccount access"
SESSION_LABELS = frozenset({SESSION, SUBACCOUNT_SESSION})


class ApiKey(CheapCopy, Aggregate):
    """One API key of one login: a session (from logging in) or a labelled integration key."""

    class Issued(Aggregate.Created):
        class_version = 2
        digest: str
        account_id: UUID
        login_id: UUID
        label: str
        at: datetime
        password_generation: int  # v2: the login's, for sessions (see Login.ended_session)

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["password_generation"] = 0

    @staticmethod
    def create_id(
        digest: str,
        account_id: UUID,
        login_id: UUID,
        label: str,
        at: datetime,
        password_generation: int = 0,
    ) -> UUID:
        return ApiKey.id_for(digest)

    @staticmethod
    def id_for(digest: str) -> UUID:
        return derived_id("api-key", digest)

    @event(Issued)
    def __init__(
        self,
        digest: str,
        account_id: UUID,
        login_id: UUID,
        label: str,
        at: datetime,
        password_generation: int = 0,
    ) -> None:
        self.account_id = account_id
        self.login_id = login_id
        self.label = label
        self.password_generation = password_generation
        self.revoked = False

    @property
    def is_session(self) -> bool:
        """Sessions end when the login's password changes; integration keys do not."""
        return self.label in SESSION_LABELS

    def revoke(self, at: datetime) -> None:
        if not self.revoked:
            self._revoked(at)

    @event("Revoked")
    def _revoked(self, at: datetime) -> None:
        self.revoked = True
