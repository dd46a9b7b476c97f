"""Events back from the feed: ``feed.event_of`` rebuilds each event as the store decodes it.

A rich scripted log (accounts, billing, subaccounts, rooms, a live session with chat, hands,
polls, a CTA, audio modes, recording and the whiteboard) is put through ``feed.envelope`` and
back; every event must equal, field by field and type by type, what the store's mapper decodes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from podium import feed
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.engagement import room_path
from tests.e2e.helpers import (
    CARD_DECLINED,
    CARD_OK,
    add_card,
    assign_subaccount,
    buy_packages,
    expect,
    member,
    paying_owner,
    renew_at,
)
from tests.e2e.live_room import LiveRoom, presenter
from tests.e2e.rooms import join, schedule
from tests.e2e.test_live_sessions import end, permanent_room, start
from tests.e2e.test_live_whiteboard import collaborate, stroke
from tests.e2e.test_room_replay import script


def rich_log(client: TestClient, podium: Podium, clock: ManualClock) -> None:
    """Events of many contexts and kinds, through the HTTP API."""
    owner = paying_owner(client, "owner@example.com", "live-100")
    schedule(client, owner, "Launch")
    member(client, podium, owner, "member@example.com")
    expect(client.post("/account/funds", json={"amount": 4_000}, headers=owner.headers), 200)
    clock.advance(timedelta(days=8))
    buy_packages(client, owner, 25, quantity=2)
    kept = assign_subaccount(client, owner, "kept@example.com", 25)
    gone = assign_subaccount(client, owner, "gone@example.com", 25)
    expect(client.post(f"/subaccounts/{gone}/cancellation", headers=owner.headers), 200)
    expect(client.post("/account/add-ons", json={"add_on": "storage"}, headers=owner.headers), 200)
    add_card(client, owner, CARD_DECLINED)
    body = {"add_on": "extra_seats"}
    assert client.post("/account/add-ons", json=body, headers=owner.headers).status_code == 402
    add_card(client, owner, CARD_OK)
    renew_at(podium, clock, owner.account_id, datetime(2026, 11, 15, 9, 0, tzinfo=UTC))
    assert kept
    live = LiveRoom(owner, permanent_room(client, owner, seats=10))
    start(client, owner, live.room)
    speaker = presenter(client, live, "speaker@example.com")
    for _name, step in script(client, live, speaker):
        clock.advance(timedelta(seconds=7))
        step()
    join(client, live.room, "late@example.com")
    expect(stroke(client, live.room, owner), 200)
    collaborate(client, live.room, owner, on=True)
    expect(client.post(room_path(live.room, "whiteboard/clear"), headers=owner.headers), 200)
    expect(stroke(client, live.room, owner), 200)
    clock.advance(timedelta(seconds=7))
    end(client, owner, live.room)


def _typed(value: Any) -> Any:
    """A value with its types spelled out, so 1 == True or "x" == UUID-less mismatches show."""
    if isinstance(value, dict):
        return {(type(k).__name__, k): _typed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_typed(item) for item in value])
    return (type(value).__name__, value)


def test_every_event_comes_back_from_the_feed_as_the_store_decodes_it(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    rich_log(client, podium, clock)
    store = podium.store
    log = store.recorder.select_notifications(1, 1_000_000)
    contexts = set()
    for notification in log:
        decoded = store.mapper.to_domain_event(notification)
        value = feed.envelope(notification.id, notification.topic, decoded)
        rebuilt = feed.event_of(value)
        assert type(rebuilt) is type(decoded), notification.topic
        assert _typed(vars(rebuilt)) == _typed(vars(decoded)), notification.topic
        assert rebuilt.originator_id == decoded.originator_id
        contexts.add(feed.context_of(notification.topic))
    assert {"accounts", "billing", "rooms", "live", "mail"} <= contexts
    assert len(log) > 70
