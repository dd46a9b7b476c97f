"""Outcomes over HTTP: a declined payment's problem+json, and answers recorded before outcomes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic
from fastapi.testclient import TestClient

from domain.idempotency import IdempotencyRecord
from podium.bootstrap import Podium
from tests.e2e.helpers import CARD_DECLINED, add_card, problem, transactions, trial_owner

RECORDED = get_topic(IdempotencyRecord.Recorded)


def recorded_states(podium: Podium) -> list[tuple[StoredEvent, dict[str, Any]]]:
    """Every stored idempotency record with its decoded state."""
    notifications = podium.store.recorder.select_notifications(1, 10_000, topics=[RECORDED])
    transcoder = podium.store.mapper.transcoder
    return [(n, transcoder.decode(n.state)) for n in notifications]


def store_as_version_1(podium: Podium, state: dict[str, Any], key: str) -> None:
    """Store a record for ``key`` as code before outcomes did: an HTTP status, class_version 1."""
    old = {k: v for k, v in state.items() if k not in ("outcome", "class_version")}
    old |= {"key": key, "status": 402}
    record_id = IdempotencyRecord.id_for(state["scope"], key)
    transcoder = podium.store.mapper.transcoder
    stored = StoredEvent(record_id, 1, RECORDED, transcoder.encode(old))
    podium.store.recorder.insert_events([stored])


def test_a_declined_payment_is_a_payment_declined_problem(client: TestClient) -> None:
    """A declined top-up answers 402 problem+json typed payment-declined, titled so."""
    owner = trial_owner(client, "owner@example.com")
    add_card(client, owner, CARD_DECLINED)
    body = problem(client.post("/account/funds", json={"amount": 500}, headers=owner.headers), 402)
    assert (body["type"], body["title"]) == ("payment-declined", "Payment declined")
    assert body["detail"]
    assert [e["kind"] for e in transactions(client, owner)] == ["payment_declined"]


def test_a_record_stored_with_a_status_replays_as_first_answered(
    client: TestClient, podium: Podium
) -> None:
    """A key whose record holds the old 402 status replays the same 402, charging nothing."""
    owner = trial_owner(client, "owner@example.com")
    add_card(client, owner, CARD_DECLINED)
    request = {"json": {"amount": 500}}
    first = client.post(
        "/account/funds", **request, headers={**owner.headers, "Idempotency-Key": "new-1"}
    )
    first_body = problem(first, 402)
    [(stored, state)] = recorded_states(podium)
    assert (state["class_version"], state["outcome"]) == (2, "payment_declined")
    assert "status" not in state
    store_as_version_1(podium, state, "old-1")  # same caller and request, another key
    old = client.post(
        "/account/funds", **request, headers={**owner.headers, "Idempotency-Key": "old-1"}
    )
    assert problem(old, 402) == first_body
    assert old.headers["Idempotent-Replayed"] == "true"
    assert [e["kind"] for e in transactions(client, owner)] == ["payment_declined"]
    replayed = podium.store.get_unsnapshotted(IdempotencyRecord.id_for(state["scope"], "old-1"))
    assert isinstance(replayed, IdempotencyRecord)
    assert replayed.outcome == "payment_declined"
    assert UUID(str(stored.originator_id)) != replayed.id
