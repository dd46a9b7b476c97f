"""replay: the library's project_aggregate without its per-event Protocol assertion."""

from __future__ import annotations

from eventsourcing.application import project_aggregate

from commands.store import replay
from domain.account import Account
from domain.plans import AddOn, BillingCycle, plan_by_id
from tests.unit.factories import START


def test_replay_rebuilds_what_project_aggregate_rebuilds() -> None:
    account = Account("Acme", "owner@acme.example", START)
    account.subscribe(plan_by_id("live-25"), BillingCycle.MONTHLY, START)
    account.buy_add_on(AddOn.ROOM_SESSION, 2, START)
    events = account.collect_events()
    ours, theirs = replay(None, events), project_aggregate(None, events)
    assert isinstance(ours, Account)
    assert vars(ours) == vars(theirs) == vars(account)
    assert replay(None, []) is None
