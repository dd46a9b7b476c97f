"""Reactions on the write side: what follows a session's end, exactly once (decision 0013).

The policy runner is driven by hand here (``podium.policies.catch_up()``), as ``podium serve``'s
thread or a ``podium policies`` process would; mail is delivered over real SMTP.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from eventsourcing.persistence import Notification
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.mail import SmtpTransport
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner
from tests.e2e.rooms import join, mail_to, rooms, text
from tests.e2e.test_live_sessions import end, permanent_room, start
from tests.integration.smtp import SmtpServer
from workers.mailer import deliver_due
from workers.policies import PolicyRunner

THANKS = "Thank you for attending"
SLOT_TAKEN = "another event of this account is live"


def run_session(client: TestClient, owner: Caller, room: Json, *emails: str) -> None:
    """Start the room's session, let ``emails`` in, and end it for all."""
    start(client, owner, room)
    for email in emails:
        expect(join(client, room, email), 200)
    end(client, owner, room)


def test_ending_a_session_frees_the_live_slot_for_another_room(
    client: TestClient, podium: Podium
) -> None:
    """While a session runs, a second room of the account is refused; once it ended and the
    policies ran, the second room admits people live."""
    owner = trial_owner(client, "owner@example.com")
    first, second = permanent_room(client, owner, 5), permanent_room(client, owner, 5)
    run_session(client, owner, first, "ann@example.com")
    assert SLOT_TAKEN in problem(join(client, second, "ben@example.com"), 409)["detail"]
    podium.policies.catch_up()
    assert expect(join(client, second, "ben@example.com"), 200)["room_id"] == second["room_id"]


def test_each_participant_gets_one_thank_you_mail_with_the_thank_you_page(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """Everyone admitted to the ended session is thanked over SMTP, pointed to the room's
    thank-you page; people of another session are not."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, 5)
    path = f"/rooms/{room['room_id']}"
    page = "https://example.com/thanks"
    expect(client.patch(path, json={"thank_you_page_url": page}, headers=owner.headers), 200)
    run_session(client, owner, room, "ann@example.com", "ben@example.com")
    expect(join(client, room, "cy@example.com"), 200)  # in the next session's lobby
    podium.policies.catch_up()
    assert deliver_due(podium, transport) == 2
    for email in ("ann@example.com", "ben@example.com"):
        [thanks] = mail_to(smtp_server, email)
        assert thanks["Subject"] == f"{THANKS} {room['name']}"
        assert page in text(thanks)
    assert mail_to(smtp_server, "cy@example.com") == []


def test_a_room_with_thank_you_emails_off_sends_none(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """``settings[thank_you_emails_enabled]=0`` (ClickMeeting's toggle) keeps the mail back,
    while the live slot is still freed."""
    owner = trial_owner(client, "owner@example.com")
    form = (
        "name=Quiet+Room&room_type=webinar&permanent_room=1&access_type=1"
        "&settings%5Bthank_you_emails_enabled%5D=0"
    )
    headers = owner.headers | {"Content-Type": "application/x-www-form-urlencoded"}
    expect(client.post("/v1/conferences.json", content=form, headers=headers), 201)
    [room] = [r for r in rooms(client, owner) if r["name"] == "Quiet Room"]
    other = permanent_room(client, owner, 5)
    run_session(client, owner, room, "ann@example.com")
    podium.policies.catch_up()
    assert deliver_due(podium, transport) == 0
    assert mail_to(smtp_server, "ann@example.com") == []
    expect(join(client, other, "ben@example.com"), 200)


def test_replaying_the_policies_sends_nothing_twice_and_appends_nothing(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """A rewound position (a crash before it moved) reacts again: every command answers its
    first answer, nothing is appended, and each participant still has one mail."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, 5)
    run_session(client, owner, room, "ann@example.com", "ben@example.com")
    reacted = podium.policies.catch_up()  # each policy, once per event it reads
    assert reacted >= 2  # at least the two of the session's end
    before = head(podium)
    for policy in podium.policies.policies:
        podium.policies.rewind(policy.name, 0)
    assert podium.policies.catch_up() == reacted
    assert head(podium) == before
    assert deliver_due(podium, transport) == 2
    assert deliver_due(podium, transport) == 0
    assert len(mail_to(smtp_server, "ann@example.com")) == 1
    assert len(mail_to(smtp_server, "ben@example.com")) == 1


def test_two_runners_racing_over_the_same_events_thank_each_person_once(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """Two runners (two processes, say) react to the same end at once: one mail each."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, 5)
    run_session(client, owner, room, "ann@example.com", "ben@example.com")
    rivals = [
        PolicyRunner(
            podium.store.recorder,
            podium.store.mapper.to_domain_event,
            podium.read_store,
            podium.policies.policies,
            podium.clock.now,
        )
        for _ in range(2)
    ]
    ready = threading.Barrier(2)
    errors: list[BaseException] = []

    def race(runner: PolicyRunner) -> None:
        ready.wait()
        try:
            runner.catch_up()
        except BaseException as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=race, args=(r,)) for r in rivals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert deliver_due(podium, transport) == 2
    assert len(mail_to(smtp_server, "ann@example.com")) == 1
    assert len(mail_to(smtp_server, "ben@example.com")) == 1


def test_a_policy_that_raises_stops_alone_and_shows_in_health(
    client: TestClient,
    podium: Podium,
    smtp_server: SmtpServer,
    transport: SmtpTransport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The slot policy raising on the end leaves the thank-you policy working; /health says
    degraded naming the policy and the event; after the fix, resuming frees the slot."""
    owner = trial_owner(client, "owner@example.com")
    room, other = permanent_room(client, owner, 5), permanent_room(client, owner, 5)
    slot_policy = podium.policies.policies[0]
    assert slot_policy.name == "free_live_slot"

    def broken(event: Any, notification: Notification) -> None:
        raise ValueError("a bug in the slot policy")

    monkeypatch.setattr(slot_policy, "react", broken)
    run_session(client, owner, room, "ann@example.com")
    podium.policies.catch_up()
    assert deliver_due(podium, transport) == 1
    assert THANKS in mail_to(smtp_server, "ann@example.com")[0]["Subject"]
    health = expect(client.get("/health"), 200)
    assert health["status"] == "degraded"
    failed = health["failed_policies"]["free_live_slot"]
    assert "LiveSession.Ended" in failed["event"]
    assert failed["error"] == "ValueError: a bug in the slot policy"
    assert "thank_participants" not in health["failed_policies"]
    assert any("policy free_live_slot stopped" in p for p in health["problems"])
    assert problem(client.get("/health/ready"), 503)["health"] == "degraded"
    assert SLOT_TAKEN in problem(join(client, other, "ben@example.com"), 409)["detail"]

    monkeypatch.undo()
    assert podium.policies.resume() == ["free_live_slot"]
    podium.policies.catch_up()
    assert expect(client.get("/health"), 200)["status"] == "ok"
    expect(join(client, other, "ben@example.com"), 200)
    assert deliver_due(podium, transport) == 0


def test_a_write_wakes_the_policy_thread_instead_of_waiting_for_its_poll(
    client: TestClient, podium: Podium
) -> None:
    """With the runner polling once an hour, ending a session still frees the slot at once:
    the answer to the end woke it, so another room of the account admits people."""
    owner = trial_owner(client, "owner@example.com")
    first, second = permanent_room(client, owner, 5), permanent_room(client, owner, 5)
    stop = threading.Event()
    thread = threading.Thread(target=podium.policies.run_forever, args=(stop, 3600.0))
    thread.start()
    try:
        run_session(client, owner, first, "ann@example.com")
        statuses = []
        for _ in range(500):  # a condition, checked until it holds (at most ~10 s)
            statuses.append(join(client, second, "ben@example.com").status_code)
            if statuses[-1] == 200:
                break
            stop.wait(0.02)
        assert statuses[-1] == 200, f"the policies waited for their next poll: {statuses[-3:]}"
    finally:
        stop.set()
        podium.policies.wake()
        thread.join(10)
