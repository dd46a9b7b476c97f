"""Reactions time makes due: held until the injected clock reaches them, fired once each,
kept across a restart of the runner, and stopped (then resumed) like any failing reaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from eventsourcing.persistence import Notification
from fastapi.testclient import TestClient

from domain.live_session import LiveSession
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import trial_owner
from tests.e2e.test_live_sessions import permanent_room, start
from workers.policies import PolicyRunner

LATER = timedelta(minutes=10)


class RemindLater:
    """Reacts to a session's start ten minutes after it; can be told to fail once."""

    name: str = "remind_later"
    topics: tuple[str, ...] = (
        f"{LiveSession.Started.__module__}:{LiveSession.Started.__qualname__}",
    )

    def __init__(self) -> None:
        self.reactions: list[int] = []
        self.fail_next = False

    def due(self, event: Any) -> datetime:
        at: datetime = event.at
        return at + LATER

    def react(self, event: Any, notification: Notification) -> None:
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("the reminder could not be sent")
        self.reactions.append(notification.id)


def runner(podium: Podium, policy: RemindLater) -> PolicyRunner:
    return PolicyRunner(
        podium.store.recorder,
        podium.store.mapper.to_domain_event,
        podium.read_store,
        [policy],
        podium.clock.now,
    )


def started_session(client: TestClient) -> None:
    owner = trial_owner(client, "owner@example.com")
    start(client, owner, permanent_room(client, owner, 5))


def test_a_timed_reaction_waits_for_the_clock_and_fires_once(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Before its instant nothing happens; at it, the reaction runs; later rounds repeat nothing."""
    policy = RemindLater()
    follower = runner(podium, policy)
    started_session(client)
    follower.catch_up()
    clock.advance(LATER - timedelta(seconds=1))
    follower.catch_up()
    assert policy.reactions == []
    clock.advance(timedelta(seconds=1))
    follower.catch_up()
    follower.catch_up()
    assert len(policy.reactions) == 1


def test_a_held_reaction_survives_a_restart_of_the_runner(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """The runner that saw the event is gone; a new one fires its timer when it comes due."""
    started_session(client)
    runner(podium, RemindLater()).catch_up()
    clock.advance(LATER)
    policy = RemindLater()
    runner(podium, policy).catch_up()
    assert len(policy.reactions) == 1


def test_an_event_seen_after_its_instant_is_reacted_to_at_once(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A runner that was down past the instant reacts when it catches up, without waiting."""
    started_session(client)
    clock.advance(LATER * 3)
    policy = RemindLater()
    runner(podium, policy).catch_up()
    assert len(policy.reactions) == 1


def test_a_failing_timed_reaction_stops_its_policy_until_resumed(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """The failure is recorded and the timer kept; after ``resume`` it fires."""
    policy = RemindLater()
    follower = runner(podium, policy)
    started_session(client)
    follower.catch_up()
    policy.fail_next = True
    clock.advance(LATER)
    follower.catch_up()
    assert "could not be sent" in follower.failures()["remind_later"].error
    follower.catch_up()
    assert policy.reactions == []
    assert follower.resume("remind_later") == ["remind_later"]
    follower.catch_up()
    assert len(policy.reactions) == 1
