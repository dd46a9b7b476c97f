"""Webhook endpoints through the API: register, list, read, change, rotate, delete (0034)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.settings import Settings
from tests.e2e.helpers import Caller, expect, member, problem, trial_owner

URL = "https://hooks.example.com/podium"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Both stores, with private targets refused as in production."""
    return settings.model_copy(update={"webhook_allow_private": False})


def register(client: TestClient, owner: Caller, **body: object) -> dict[str, object]:
    payload = {"url": URL, "kinds": ["session.started", "chat.message"]} | body
    return expect(client.post("/webhooks", json=payload, headers=owner.headers), 201)


def test_an_endpoint_is_registered_listed_and_read_without_its_secret(client: TestClient) -> None:
    """POST answers the secret once; GET and the list never show it."""
    owner = trial_owner(client, "owner@example.com")
    created = register(client, owner, description="crm")
    assert str(created["secret"]).startswith("whsec_")
    assert created["kinds"] == ["chat.message", "session.started"]
    assert created["enabled"] is True
    listed = expect(client.get("/webhooks", headers=owner.headers), 200)["webhooks"]
    assert [w["id"] for w in listed] == [created["id"]]
    shown = expect(client.get(f"/webhooks/{created['id']}", headers=owner.headers), 200)
    assert shown["url"] == URL
    assert shown["description"] == "crm"
    assert "secret" not in shown
    assert all("secret" not in w for w in listed)


def test_a_retry_under_the_same_key_answers_the_same_endpoint_and_secret(
    client: TestClient,
) -> None:
    """Idempotency-Key: one endpoint, the same secret shown again; another key makes another."""
    owner = trial_owner(client, "owner@example.com")
    headers = {**owner.headers, "Idempotency-Key": "hook-1"}
    body = {"url": URL, "kinds": ["room.created"]}
    first = expect(client.post("/webhooks", json=body, headers=headers), 201)
    again = expect(client.post("/webhooks", json=body, headers=headers), 201)
    assert again["id"] == first["id"]
    assert again["secret"] == first["secret"]
    other = expect(
        client.post("/webhooks", json=body, headers={**owner.headers, "Idempotency-Key": "h2"}),
        201,
    )
    assert other["id"] != first["id"]
    assert other["secret"] != first["secret"]
    listed = expect(client.get("/webhooks", headers=owner.headers), 200)["webhooks"]
    assert len(listed) == 2


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://hooks.example.com/x", "https://"),
        ("javascript:alert(1)", "https://"),
        ("https://", "host"),
        ("https://user:pw@hooks.example.com/", "user"),
        ("http://127.0.0.1:9000/hook", "public address"),
        ("http://localhost/hook", "public address"),
        ("http://10.1.2.3/hook", "public address"),
        ("http://[::1]/hook", "public address"),
        ("http://169.254.169.254/latest", "public address"),
    ],
)
def test_a_url_that_is_not_a_public_http_target_is_refused(
    client: TestClient, url: str, why: str
) -> None:
    """Other schemes, credentials in the URL and private targets get 422 saying why."""
    owner = trial_owner(client, "owner@example.com")
    body = {"url": url, "kinds": ["room.created"]}
    refused = problem(client.post("/webhooks", json=body, headers=owner.headers), 422)
    assert why in refused["detail"]


def test_unknown_kinds_are_refused_and_the_vocabulary_is_listed(client: TestClient) -> None:
    """Only the documented kinds; GET /webhooks/kinds lists them with what each means."""
    owner = trial_owner(client, "owner@example.com")
    refused = problem(
        client.post(
            "/webhooks",
            json={"url": URL, "kinds": ["LiveSession.Started"]},
            headers=owner.headers,
        ),
        422,
    )
    assert "LiveSession.Started" in refused["detail"]
    names = [k["name"] for k in expect(client.get("/webhooks/kinds"), 200)["kinds"]]
    assert {"session.started", "payment.succeeded", "chat.message"} <= set(names)
    assert all(name == name.lower() and "." in name for name in names)


def test_change_disable_rotate_and_delete(client: TestClient) -> None:
    """PATCH changes and disables; rotation shows a new secret; DELETE makes it 404."""
    owner = trial_owner(client, "owner@example.com")
    created = register(client, owner)
    path = f"/webhooks/{created['id']}"
    changed = expect(
        client.patch(
            path, json={"kinds": ["room.created"], "enabled": False}, headers=owner.headers
        ),
        200,
    )
    assert changed["kinds"] == ["room.created"]
    assert changed["enabled"] is False
    rotated = expect(client.post(f"{path}/secret", headers=owner.headers), 200)
    assert rotated["secret"] != created["secret"]
    assert rotated["secret_generation"] == 2
    assert expect(client.get(path, headers=owner.headers), 200)["secret_generation"] == 2
    expect(client.delete(path, headers=owner.headers), 200)
    problem(client.get(path, headers=owner.headers), 404)
    problem(client.patch(path, json={"enabled": True}, headers=owner.headers), 404)
    assert expect(client.get("/webhooks", headers=owner.headers), 200)["webhooks"] == []


def test_only_the_owner_manages_webhooks_and_only_their_own(
    client: TestClient, podium: Podium
) -> None:
    """A member gets 403; another account's endpoint is 404 for every route."""
    owner = trial_owner(client, "owner@example.com")
    created = register(client, owner)
    helper = member(client, podium, owner, "member@example.com")
    problem(client.get("/webhooks", headers=helper.headers), 403)
    problem(
        client.post(
            "/webhooks", json={"url": URL, "kinds": ["room.created"]}, headers=helper.headers
        ),
        403,
    )
    stranger = trial_owner(client, "stranger@example.com")
    path = f"/webhooks/{created['id']}"
    problem(client.get(path, headers=stranger.headers), 404)
    problem(client.delete(path, headers=stranger.headers), 404)
    problem(client.post(f"{path}/secret", headers=stranger.headers), 404)
    problem(client.post(f"{path}/replay", json={"position": 0}, headers=stranger.headers), 404)
    problem(client.get(f"{path}/deliveries", headers=stranger.headers), 404)
    assert expect(client.get("/webhooks", headers=stranger.headers), 200)["webhooks"] == []


def test_a_replay_needs_one_start_and_is_idempotent(client: TestClient, podium: Podium) -> None:
    """position or since, not both; a retry under its key appends nothing."""
    owner = trial_owner(client, "owner@example.com")
    path = f"/webhooks/{register(client, owner)['id']}/replay"
    problem(client.post(path, json={}, headers=owner.headers), 422)
    both = {"position": 1, "since": "2026-10-15T09:00:00+00:00"}
    problem(client.post(path, json=both, headers=owner.headers), 422)
    problem(client.post(path, json={"since": "2026-10-15T09:00:00"}, headers=owner.headers), 422)
    future = {"since": "2026-10-16T09:00:00+00:00"}  # the clock stands a day before
    assert "future" in problem(client.post(path, json=future, headers=owner.headers), 422)["detail"]
    headers = {**owner.headers, "Idempotency-Key": "replay-1"}
    first = expect(client.post(path, json={"position": 0}, headers=headers), 202)
    head = podium.store.recorder.max_notification_id()
    again = expect(client.post(path, json={"position": 0}, headers=headers), 202)
    assert again == first
    assert first["replay"] == 1
    assert podium.store.recorder.max_notification_id() == head
