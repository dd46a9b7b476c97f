"""The Subaccount aggregate: activation, resizing, cancellation and deletion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.errors import RuleViolationError
from domain.plans import plan_by_id
from domain.subaccount import Subaccount, SubaccountStatus

AT = datetime(2026, 10, 23, 9, 0, tzinfo=UTC)
PERIOD_END = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)


def new_subaccount(size: int = 25) -> Subaccount:
    return Subaccount(uuid4(), "Sales team", "Ann Smith", "ann@acme.example", size, AT)


def test_an_assigned_subaccount_awaits_activation() -> None:
    """A new subaccount is pending activation, live, with no end date."""
    sub = new_subaccount()
    assert sub.status == SubaccountStatus.PENDING_ACTIVATION
    assert sub.is_live
    assert sub.ends_at is None


def test_activation_makes_it_active_once() -> None:
    """The owner activates it once; a second activation is refused."""
    sub = new_subaccount()
    sub.activate(AT)
    assert sub.status == SubaccountStatus.ACTIVE
    with pytest.raises(RuleViolationError, match="not awaiting activation"):
        sub.activate(AT)


@pytest.mark.parametrize("size", [25, 50, 100, 200])
def test_limits_are_those_of_the_plan_its_package_names(size: int) -> None:
    """A package of N attendees gives the limits of the Live N plan."""
    assert new_subaccount(size).limits() == plan_by_id(f"live-{size}").limits


def test_resize_changes_its_limits() -> None:
    """After a resize the subaccount has the new package's limits."""
    sub = new_subaccount(25)
    sub.resize(100, AT)
    assert sub.package_size == 100
    assert sub.limits().max_attendees == 100


def test_cancel_keeps_it_until_the_period_end() -> None:
    """A cancelled subaccount is still live until its end date."""
    sub = new_subaccount()
    sub.activate(AT)
    sub.cancel(PERIOD_END, AT)
    assert sub.status == SubaccountStatus.CANCELLED
    assert sub.ends_at == PERIOD_END
    assert sub.is_live


def test_cancelling_twice_is_refused() -> None:
    """A cancelled subaccount cannot be cancelled again."""
    sub = new_subaccount()
    sub.cancel(PERIOD_END, AT)
    with pytest.raises(RuleViolationError, match="already cancelled"):
        sub.cancel(PERIOD_END + timedelta(days=1), AT)
    assert sub.ends_at == PERIOD_END


@pytest.mark.parametrize("cancelled_first", [False, True])
def test_deletion_ends_it(cancelled_first: bool) -> None:
    """Deleting (cancelled or not) makes it no longer live."""
    sub = new_subaccount()
    if cancelled_first:
        sub.cancel(PERIOD_END, AT)
    sub.delete(AT)
    assert sub.status == SubaccountStatus.DELETED
    assert not sub.is_live


@pytest.mark.parametrize("action", ["resize", "cancel", "delete"])
def test_a_deleted_subaccount_refuses_changes(action: str) -> None:
    """After deletion nothing more can be done to it, and nothing is recorded."""
    sub = new_subaccount()
    sub.delete(AT)
    sub.collect_events()
    commands: dict[str, Callable[[], object]] = {
        "resize": lambda: sub.resize(50, AT),
        "cancel": lambda: sub.cancel(PERIOD_END, AT),
        "delete": lambda: sub.delete(AT),
    }
    with pytest.raises(RuleViolationError, match="has been deleted"):
        commands[action]()
    assert sub.collect_events() == []
