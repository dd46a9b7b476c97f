"""Webhook deliveries to a real HTTP receiver on loopback, on both stores (decision 0034)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.settings import Settings
from podium.webhook_http import verify
from tests.e2e.helpers import Caller, expect, trial_owner
from tests.e2e.live_room import listener, live_room
from tests.e2e.rooms import register, schedule
from tests.e2e.test_live_chat import say
from tests.e2e.test_live_sessions import end, start
from tests.integration.webhook_receiver import Receiver, receiver
from workers.webhooks import WebhookWorker, build_worker


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Both stores; the receivers are on loopback, which tests allow."""
    return settings.model_copy(update={"webhook_allow_private": True, "webhook_timeout": 2.0})


@pytest.fixture
def worker(podium: Podium) -> Iterator[WebhookWorker]:
    built = build_worker(podium)
    yield built
    built.close()


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as r:
        yield r


@pytest.fixture
def other_hook() -> Iterator[Receiver]:
    with receiver() as r:
        yield r


def run_until(worker: WebhookWorker, done: Callable[[], bool], timeout: float = 15.0) -> None:
    """Round after round of the worker until ``done`` (each round waits for a send to end)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the worker did not get there in time"
        worker.step()
        with worker.sends_done:
            worker.sends_done.wait(0.05)


def endpoint(client: TestClient, owner: Caller, url: str, *kinds: str) -> dict[str, Any]:
    body = {"url": url, "kinds": list(kinds or ("room.created", "registration.created"))}
    return expect(client.post("/webhooks", json=body, headers=owner.headers), 201)


def test_a_delivery_is_signed_with_the_endpoints_secret_and_shaped_as_documented(
    client: TestClient, worker: WebhookWorker, hook: Receiver
) -> None:
    """The body has id, type, created, account, data; Podium-Signature verifies with the secret."""
    owner = trial_owner(client, "owner@example.com")
    created = endpoint(client, owner, hook.url)
    room = schedule(client, owner, "Launch", registration_enabled=True)
    run_until(worker, lambda: len(hook.delivered) == 1)
    arrived = hook.received[0]
    body = arrived.json
    assert body["type"] == "room.created"
    assert body["account"] == owner.account_id
    assert body["data"]["object_id"] == room["room_id"]
    assert body["id"].startswith("evt_")
    assert body["created"] == "2026-10-15T09:00:00+00:00"
    assert set(body) == {"id", "type", "created", "account", "position", "data"}
    assert "secrets" not in body["data"]
    assert verify(arrived.headers["podium-signature"], str(created["secret"]), arrived.body)
    assert not verify(arrived.headers["podium-signature"], "whsec_wrong", arrived.body)
    assert not verify(arrived.headers["podium-signature"], str(created["secret"]), b"{}")
    assert arrived.headers["podium-webhook-id"] == body["id"]
    stamp = int(arrived.headers["podium-signature"].split(",")[0].removeprefix("t="))
    assert stamp == int(worker.clock.now().timestamp())


def test_only_the_accounts_own_events_of_the_kinds_asked_are_delivered(
    client: TestClient, worker: WebhookWorker, hook: Receiver, other_hook: Receiver
) -> None:
    """Two accounts, each with an endpoint: neither ever sees the other's events."""
    first = trial_owner(client, "first@example.com")
    second = trial_owner(client, "second@example.com")
    endpoint(client, first, hook.url)
    endpoint(client, second, other_hook.url, "registration.created")
    first_room = schedule(client, first, "First's", registration_enabled=True)
    second_room = schedule(client, second, "Second's", registration_enabled=True)
    register(client, second_room, "guest@example.com")
    register(client, first_room, "visitor@example.com")
    run_until(worker, lambda: len(hook.delivered) == 2 and len(other_hook.delivered) == 1)
    run_until(worker, lambda: worker.idle())
    worker.step()
    assert {b["account"] for b in hook.delivered} == {first.account_id}
    assert [b["type"] for b in hook.delivered] == ["room.created", "registration.created"]
    assert hook.delivered[1]["data"]["email"] == "visitor@example.com"
    assert [b["account"] for b in other_hook.delivered] == [second.account_id]
    assert other_hook.delivered[0]["data"]["email"] == "guest@example.com"
    assert len(hook.received) == 2
    assert len(other_hook.received) == 1


def test_a_failing_receiver_is_retried_with_backoff_and_each_attempt_is_shown(
    client: TestClient, worker: WebhookWorker, hook: Receiver, clock: ManualClock
) -> None:
    """500, 500, then 200: each retry waits a doubling, jittered delay on the injected clock."""
    owner = trial_owner(client, "owner@example.com")
    created = endpoint(client, owner, hook.url)
    hook.fail = 2
    schedule(client, owner)
    path = f"/webhooks/{created['id']}/deliveries"

    def attempts() -> list[dict[str, Any]]:
        shown = expect(client.get(path, headers=owner.headers), 200)["deliveries"]
        return list(shown[0]["tries"]) if shown else []

    run_until(worker, lambda: len(attempts()) == 1)
    delivery = expect(client.get(path, headers=owner.headers), 200)["deliveries"][0]
    assert delivery["status"] == "pending"
    assert delivery["response_code"] == 500
    base = worker.backoff.base
    due = delivery["next_attempt_at"]
    wait = (datetime.fromisoformat(due) - clock.now()).total_seconds()
    assert base * 0.5 <= wait <= base
    for _ in range(5):  # not due yet: nothing is sent however often the worker looks
        worker.step()
    assert len(hook.received) == 1
    clock.advance(timedelta(seconds=wait))
    run_until(worker, lambda: len(attempts()) == 2)
    second = expect(client.get(path, headers=owner.headers), 200)["deliveries"][0]
    wait_two = (datetime.fromisoformat(second["next_attempt_at"]) - clock.now()).total_seconds()
    assert base <= wait_two <= 2 * base
    clock.advance(timedelta(seconds=wait_two))
    run_until(worker, lambda: len(hook.delivered) == 1)
    run_until(worker, lambda: len(attempts()) == 3)
    final = expect(client.get(path, headers=owner.headers), 200)["deliveries"][0]
    assert final["status"] == "delivered"
    assert [t["response_code"] for t in final["tries"]] == [500, 500, 200]
    assert [t["outcome"] for t in final["tries"]] == ["failed", "failed", "delivered"]
    assert all(t["duration_ms"] >= 0 for t in final["tries"])
    assert len({r.json["id"] for r in hook.received}) == 1


def test_retries_stop_a_day_after_the_first_attempt(
    client: TestClient, worker: WebhookWorker, hook: Receiver, clock: ManualClock
) -> None:
    """A receiver that always fails gets attempts for a day, then the delivery is failed."""
    owner = trial_owner(client, "owner@example.com")
    created = endpoint(client, owner, hook.url)
    hook.fail = 10_000
    schedule(client, owner)
    path = f"/webhooks/{created['id']}/deliveries"

    def shown() -> dict[str, Any]:
        return dict(expect(client.get(path, headers=owner.headers), 200)["deliveries"][0])

    def moved(seen: int) -> Callable[[], bool]:
        return lambda: len(hook.received) > seen or shown()["status"] != "pending"

    run_until(worker, lambda: len(hook.received) == 1)
    start = clock.now()
    while shown()["status"] == "pending":
        assert clock.now() - start < timedelta(days=2)
        clock.advance(timedelta(hours=1))
        run_until(worker, moved(len(hook.received)))
    assert shown()["status"] == "failed"
    assert timedelta(hours=20) <= clock.now() - start <= timedelta(hours=26)
    assert 10 <= len(hook.received) <= 40


def test_a_receiver_that_never_answers_does_not_hold_up_another_endpoint(
    client: TestClient, worker: WebhookWorker, hook: Receiver, other_hook: Receiver
) -> None:
    """While one receiver holds its request open, another account's endpoint gets its events."""
    stuck = trial_owner(client, "stuck@example.com")
    lively = trial_owner(client, "lively@example.com")
    endpoint(client, stuck, hook.url)
    endpoint(client, lively, other_hook.url)
    hook.hold.clear()
    schedule(client, stuck, "Stuck one", registration_enabled=True)
    schedule(client, stuck, "Stuck two", registration_enabled=True)
    for n in range(3):
        schedule(client, lively, f"Lively {n}", registration_enabled=True)
    with hook.arrived:
        worker.step()
        assert hook.arrived.wait_for(lambda: hook.held == 1, 10)
    run_until(worker, lambda: len(other_hook.delivered) == 3)
    assert hook.held == 1  # still waiting on its first, and its second was never sent
    assert hook.received == []
    hook.hold.set()
    run_until(worker, lambda: len(hook.delivered) == 2)


def test_a_replay_sends_the_same_events_in_the_same_order_with_the_same_ids(
    client: TestClient, worker: WebhookWorker, hook: Receiver, other_hook: Receiver
) -> None:
    """From a position or an instant: only the account's own, identical bodies, same order."""
    owner = trial_owner(client, "owner@example.com")
    stranger = trial_owner(client, "stranger@example.com")
    created = endpoint(client, owner, hook.url)
    endpoint(client, stranger, other_hook.url)
    rooms = [schedule(client, owner, f"Room {n}", registration_enabled=True) for n in range(3)]
    schedule(client, stranger, "Not yours", registration_enabled=True)
    for room in rooms:
        register(client, room, "guest@example.com")
    run_until(worker, lambda: len(hook.delivered) == 6)
    first = [r.body for r in hook.received]
    path = f"/webhooks/{created['id']}/replay"
    expect(client.post(path, json={"position": 0}, headers=owner.headers), 202)
    run_until(worker, lambda: len(hook.delivered) == 12)
    assert [r.body for r in hook.received[6:]] == first
    positions = [b["position"] for b in hook.delivered[:6]]
    assert positions == sorted(positions)
    middle = hook.delivered[2]
    expect(client.post(path, json={"position": middle["position"]}, headers=owner.headers), 202)
    run_until(worker, lambda: len(hook.delivered) == 15)
    assert [r.body for r in hook.received[12:]] == first[3:]
    expect(client.post(path, json={"since": middle["created"]}, headers=owner.headers), 202)
    run_until(worker, lambda: len(hook.delivered) == 21)
    assert [r.body for r in hook.received[15:]] == first  # all six happened at that instant
    assert {b["account"] for b in hook.delivered} == {owner.account_id}
    assert len(other_hook.received) == 1


def test_after_a_rotation_both_secrets_sign_until_the_grace_is_over(
    client: TestClient, worker: WebhookWorker, hook: Receiver, clock: ManualClock
) -> None:
    """The old secret still verifies for the grace (a day), then only the new one does."""
    owner = trial_owner(client, "owner@example.com")
    created = endpoint(client, owner, hook.url)
    old = str(created["secret"])
    new = str(
        expect(client.post(f"/webhooks/{created['id']}/secret", headers=owner.headers), 200)[
            "secret"
        ]
    )
    schedule(client, owner, "During the grace")
    run_until(worker, lambda: len(hook.delivered) == 1)
    during = hook.received[0]
    assert verify(during.headers["podium-signature"], new, during.body)
    assert verify(during.headers["podium-signature"], old, during.body)
    clock.advance(timedelta(days=1, seconds=1))
    schedule(client, owner, "After the grace")
    run_until(worker, lambda: len(hook.delivered) == 2)
    after = hook.received[1]
    assert verify(after.headers["podium-signature"], new, after.body)
    assert not verify(after.headers["podium-signature"], old, after.body)


def test_a_disabled_endpoint_is_paused_and_catches_up_when_enabled(
    client: TestClient, worker: WebhookWorker, hook: Receiver
) -> None:
    """Nothing is sent while disabled; enabled again, what happened meanwhile arrives."""
    owner = trial_owner(client, "owner@example.com")
    path = f"/webhooks/{endpoint(client, owner, hook.url)['id']}"
    expect(client.patch(path, json={"enabled": False}, headers=owner.headers), 200)
    schedule(client, owner, "While paused")
    for _ in range(5):
        worker.step()
    assert hook.received == []
    expect(client.patch(path, json={"enabled": True}, headers=owner.headers), 200)
    run_until(worker, lambda: len(hook.delivered) == 1)
    assert hook.delivered[0]["type"] == "room.created"


def test_the_webhook_read_models_rebuild_to_what_was_projected_live(
    client: TestClient, podium: Podium, worker: WebhookWorker, hook: Receiver
) -> None:
    """Endpoints, replays and the account index dropped and rebuilt equal the live ones."""
    owner = trial_owner(client, "owner@example.com")
    created = endpoint(client, owner, hook.url)
    room = schedule(client, owner, "Rebuilt", registration_enabled=True)
    register(client, room, "guest@example.com")
    path = f"/webhooks/{created['id']}"
    expect(client.post(f"{path}/replay", json={"position": 0}, headers=owner.headers), 202)
    expect(client.post(f"{path}/secret", headers=owner.headers), 200)
    tables = ("webhook_endpoints", "webhook_replays", "account_streams", "account_events")

    def rows() -> dict[str, list[dict[str, Any]]]:
        return {
            t: podium.read_store.query(f"SELECT * FROM {t} ORDER BY 1, 2")  # noqa: S608
            for t in tables
        }

    live = rows()
    assert len(live["account_events"]) == 2
    podium.projector.rebuild("webhooks")
    podium.projector.rebuild("account_events")
    assert rows() == live


def test_live_session_events_reach_the_rooms_account_and_nobody_else(
    client: TestClient, worker: WebhookWorker, hook: Receiver, other_hook: Receiver
) -> None:
    """Session, attendee and chat events (streams tied to the room) go to the room's account;
    a join's client details and a chat author's email are not in the data."""
    live = live_room(client, started=False)
    stranger = trial_owner(client, "stranger@example.com")
    kinds = ("session.started", "attendee.joined", "chat.message", "session.ended")
    endpoint(client, live.owner, hook.url, *kinds)
    endpoint(client, stranger, other_hook.url, *kinds)
    start(client, live.owner, live.room)
    ann = listener(client, live, "ann@example.com")
    expect(say(client, live, ann, "hello all"), 201)
    end(client, live.owner, live.room)
    run_until(worker, lambda: len(hook.delivered) == 4)
    assert [b["type"] for b in hook.delivered] == list(kinds)
    joined, chat = hook.delivered[1]["data"], hook.delivered[2]["data"]
    assert joined["email"] == "ann@example.com"
    assert "client" not in joined
    assert chat["text"] == "hello all"
    assert "email" not in chat
    assert {b["data"].get("room_id") for b in hook.delivered[:3]} == {live.room["room_id"]}
    worker.step()
    assert other_hook.received == []


def test_no_more_is_claimed_than_the_pool_can_send_at_once(
    podium: Podium, client: TestClient, hook: Receiver, other_hook: Receiver
) -> None:
    """With one sending thread busy, another endpoint's delivery stays unclaimed (a claim
    queued behind a stuck send could outlive its lease and go out twice), then goes."""
    worker = build_worker(podium, threads=1)
    try:
        first = trial_owner(client, "first@example.com")
        second = trial_owner(client, "second@example.com")
        endpoint(client, first, hook.url)
        endpoint(client, second, other_hook.url)
        hook.hold.clear()
        schedule(client, first, "Held")
        with hook.arrived:
            worker.step()
            assert hook.arrived.wait_for(lambda: hook.held == 1, 10)
        schedule(client, second, "Waiting")
        worker.step()
        claimed = podium.read_store.query(
            "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE claimed_until_us IS NOT NULL"
        )
        assert claimed[0]["n"] == 1
        hook.hold.set()
        run_until(worker, lambda: len(other_hook.delivered) == 1)
        assert len(hook.delivered) == 1
    finally:
        worker.close()
