"""Builders shared by the unit and property tests of the domain: accounts, stores, exact rounding.

``half_up`` is the tests' own rounding, written from the definition (nearest integer, halves away
from zero) on exact fractions, so expectations never lean on ``domain.money``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

from commands.store import EventStore
from domain.account import Account
from domain.plans import BillingCycle, plan_by_id
from podium.transcoder import OrjsonTranscoder

TEST_SECRET = "unit-test-snapshot-secret"  # seals the test stores' snapshots

A = TypeVar("A")

# The help centre's example period starts on 15 October.
START = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)


def half_up(value: Fraction) -> int:
    """``value`` rounded to the nearest whole number, halves away from zero."""
    magnitude = math.floor(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def trial_account(at: datetime = START, *, nonprofit: bool = False) -> Account:
    """A freshly opened account, its Opened event already collected."""
    account = Account("Acme Webinars", "owner@acme.example", at, nonprofit=nonprofit)
    account.collect_events()
    return account


def paid_account(
    plan_id: str = "live-100",
    cycle: BillingCycle = BillingCycle.MONTHLY,
    at: datetime = START,
    *,
    nonprofit: bool = False,
) -> Account:
    """An account subscribed at ``at`` (its first period starts then), events collected."""
    account = trial_account(at, nonprofit=nonprofit)
    account.subscribe(plan_by_id(plan_id), cycle, at)
    account.collect_events()
    return account


def sqlite_env(path: Path) -> Mapping[str, str]:
    """Environment of an EventStore on the SQLite file ``path``."""
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}


def sqlite_store(path: Path) -> EventStore:
    """Podium's EventStore on a SQLite file, with the production transcoder."""
    return EventStore(sqlite_env(path), OrjsonTranscoder(), secret=TEST_SECRET)


def memory_store() -> EventStore:
    """Podium's EventStore in memory (plain Python objects), with the production transcoder."""
    return EventStore(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"}, OrjsonTranscoder(), secret=TEST_SECRET
    )


def load(store: EventStore, cls: type[A], aggregate_id: UUID) -> A:
    """The aggregate ``aggregate_id`` read back from ``store``, checked to be a ``cls``."""
    loaded: Any = store.repository.get(aggregate_id)
    assert isinstance(loaded, cls), f"expected a {cls.__name__}, got {loaded!r}"
    return loaded


def past_due_account() -> Account:
    account = paid_account()
    account.record_payment_outcome(False, START)
    account.collect_events()
    return account


def cancelled_account() -> Account:
    account = paid_account()
    account.cancel(START)
    account.collect_events()
    return account


def closed_account() -> Account:
    account = trial_account()
    account.cancel(START)
    account.collect_events()
    return account
