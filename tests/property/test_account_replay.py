"""Replaying an Account's stored events (or its snapshot and the rest) rebuilds the same state."""

from __future__ import annotations

from typing import Any

from eventsourcing.application import project_aggregate
from hypothesis import given, settings

from domain.account import Account, Status
from tests.property.driver import Driver, Step, scripts
from tests.unit.factories import START, load, memory_store


def driven_account(script: list[Step]) -> Driver:
    driver = Driver(Account("Acme Webinars", "owner@acme.example", START), START)
    for step in script:
        driver.step(step)
    return driver


def observable(account: Account, driver: Driver) -> dict[str, Any]:
    """What the rest of Podium asks an account, at the driver's time."""
    paying = account.status in (Status.ACTIVE, Status.PAST_DUE, Status.CANCELLED)
    return {
        "limits": account.limits(),
        "due": account.is_due(driver.now),
        "usable": account.is_usable(driver.now),
        "free": {size: account.free_seats(size) for size in (25, 50, 100, 200)},
        "charges": account.recurring_charges() if paying else None,
    }


@settings(max_examples=40, deadline=None)
@given(script=scripts)
def test_a_saved_account_reloads_with_identical_state(script: list[Step]) -> None:
    """Saved to the event store and read back, the account's state and answers are the same."""
    driver = driven_account(script)
    account = driver.account
    store = memory_store()
    store.save(account)
    loaded = load(store, Account, account.id)
    assert loaded.__dict__ == account.__dict__
    assert observable(loaded, driver) == observable(account, driver)


@settings(max_examples=40, deadline=None)
@given(script=scripts)
def test_replaying_every_event_from_the_first_rebuilds_the_account(script: list[Step]) -> None:
    """Folding the stored events one by one, without any snapshot, gives the same state."""
    driver = driven_account(script)
    account = driver.account
    store = memory_store()
    store.save(account)
    rebuilt: Any = project_aggregate(None, store.events.get(account.id))
    assert isinstance(rebuilt, Account)
    assert rebuilt.version == account.version
    assert rebuilt.__dict__ == account.__dict__
