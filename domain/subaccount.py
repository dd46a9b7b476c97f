"""The Subaccount aggregate: a child account with its own data and allowances.

Its seat (a package of N attendees) belongs to the parent Account; this aggregate is the
subaccount's own life: assigned, activated by its owner, resized, cancelled or deleted.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.charges import effective_limits
from domain.copying import CheapCopy
from domain.errors import RuleViolationError
from domain.plans import Limits, plan_by_id


class SubaccountStatus(StrEnum):
    """Where a subaccount is in its life."""

    PENDING_ACTIVATION = "pending_activation"
    ACTIVE = "active"
    CANCELLED = "cancelled"  # active until ``ends_at``, then deleted
    DELETED = "deleted"


class Subaccount(CheapCopy, Aggregate):
    """A subaccount assigned from one of its parent's packages."""

    class Assigned(Aggregate.Created):
        parent_id: UUID
        page_name: str
        user_name: str
        email: str
        package_size: int
        at: datetime

    @event(Assigned)
    def __init__(
        self,
        parent_id: UUID,
        page_name: str,
        user_name: str,
        email: str,
        package_size: int,
        at: datetime,
    ) -> None:
        self.parent_id = parent_id
        self.page_name = page_name
        self.user_name = user_name
        self.email = email
        self.package_size = package_size
        self.status = SubaccountStatus.PENDING_ACTIVATION
        self.ends_at: datetime | None = None

    def limits(self) -> Limits:
        """Its own allowances: those of the plan its package size names."""
        return effective_limits(plan_by_id(f"live-{self.package_size}"), {})

    @property
    def is_live(self) -> bool:
        return self.status != SubaccountStatus.DELETED

    def activate(self, at: datetime) -> None:
        """Its owner followed the activation link and set a password."""
        if self.status != SubaccountStatus.PENDING_ACTIVATION:
            raise RuleViolationError(f"the subaccount is {self.status}, not awaiting activation")
        self._activated(at)

    @event("Activated")
    def _activated(self, at: datetime) -> None:
        self.status = SubaccountStatus.ACTIVE

    def resize(self, package_size: int, at: datetime) -> None:
        self._require_live()
        self._resized(package_size, at)

    @event("Resized")
    def _resized(self, package_size: int, at: datetime) -> None:
        self.package_size = package_size

    def cancel(self, ends_at: datetime, at: datetime) -> None:
        """Stays usable until ``ends_at`` (the parent's period end), then is deleted."""
        self._require_live()
        if self.status == SubaccountStatus.CANCELLED:
            raise RuleViolationError("the subaccount is already cancelled")
        self._cancelled(ends_at, at)

    @event("Cancelled")
    def _cancelled(self, ends_at: datetime, at: datetime) -> None:
        self.status, self.ends_at = SubaccountStatus.CANCELLED, ends_at

    def delete(self, at: datetime) -> None:
        """Delete it and all its data, at once; cannot be undone."""
        self._require_live()
        self._deleted(at)

    @event("Deleted")
    def _deleted(self, at: datetime) -> None:
        self.status = SubaccountStatus.DELETED

    def _require_live(self) -> None:
        if not self.is_live:
            raise RuleViolationError("the subaccount has been deleted")
