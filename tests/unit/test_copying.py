"""CheapCopy: a deep copy of an aggregate shares nothing mutable with the original."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from domain.account import Account
from domain.copying import copy_value
from domain.plans import AddOn, BillingCycle, plan_by_id
from tests.unit.factories import START


def test_a_copied_account_equals_the_original_and_changes_apart() -> None:
    """The copy has the same state; buying on it leaves the original (the cache's) untouched."""
    account = Account("Acme", "owner@acme.example", START)
    account.subscribe(plan_by_id("live-25"), BillingCycle.MONTHLY, START)
    account.collect_events()
    clone = copy.deepcopy(account)
    assert clone is not account
    assert vars(clone) == vars(account)
    clone.buy_add_on(AddOn.ROOM_SESSION, 1, START)
    clone.promo_codes["SPRING"] = 10
    assert (account.add_ons, account.promo_codes) == ({}, {})
    assert (account.version, clone.version) == (2, 3)


@dataclass
class Mutable:
    items: list[int] = field(default_factory=list)


def test_nested_containers_and_unknown_objects_are_copied_too() -> None:
    """Dicts, lists and sets at any depth are new; objects of other kinds are deep-copied."""
    original: dict[str, Any] = {"a": [{"b": {1, 2}}], "c": Mutable([1])}
    clone = copy_value(original, {})
    assert clone == original
    clone["a"][0]["b"].add(3)
    clone["c"].items.append(2)
    assert original == {"a": [{"b": {1, 2}}], "c": Mutable([1])}
