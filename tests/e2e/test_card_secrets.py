"""No card number in any answer: a card set over HTTP, and one stored before tokenization,
read back as the owner and as a member; and charges through the token keep their outcomes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
import pytest
from eventsourcing.persistence import StoredEvent
from fastapi.testclient import TestClient

from domain.account import Account
from domain.cards import card_numbers_in
from podium.bootstrap import Podium
from tests.e2e.helpers import (
    CARD_OK,
    Caller,
    add_card,
    expect,
    member,
    problem,
    trial_owner,
)

READS = ("/account", "/account/transactions", "/timeline?limit=500", "/members")


def everything_shown(client: TestClient, caller: Caller) -> str:
    """Every read the caller may make of its account, as one text."""
    answers = [client.get(path, headers=caller.headers) for path in READS]
    return " ".join(a.text for a in answers if a.status_code == 200)


def store_legacy_card(podium: Podium, account_id: str, number: str) -> None:
    """Append an Account.PaymentMethodSet as it was stored before tokenization: version 1,
    the sandbox's token holding the card number, no last4 or brand."""
    account: Account = podium.store.repository.get(UUID(account_id))
    now = podium.clock.now()
    event_class: Any = Account.PaymentMethodSet  # its fields are declared, not its __init__
    event = event_class(
        originator_id=account.id,
        originator_version=account.version + 1,
        timestamp=now,
        kind="card",
        token=f"sandbox_card_{number}",
        label=f"card ending {number[-4:]}",
        last4="",
        brand="",
        at=now,
    )
    stored = podium.store.mapper.to_stored_event(event)
    transcoder = podium.store.mapper.transcoder
    state = transcoder.decode(stored.state)
    for name in ("class_version", "last4", "brand"):
        del state[name]
    legacy = transcoder.encode(state)
    assert number.encode() in legacy  # the stored row does hold the number
    podium.store.recorder.insert_events(
        [StoredEvent(stored.originator_id, stored.originator_version, stored.topic, legacy)]
    )


def test_a_card_set_over_http_is_shown_to_no_one_by_number(
    client: TestClient, podium: Podium
) -> None:
    """After a card is set, the owner's and a member's reads (timeline included) show its
    last four digits at most, never the number or the gateway's token."""
    owner = trial_owner(client, "owner@example.com")
    colleague = member(client, podium, owner, "colleague@example.com")
    add_card(client, owner, CARD_OK)
    entries = expect(client.get("/timeline", headers=owner.headers), 200)["entries"]
    [row] = [e for e in entries if e["kind"] == "Account.PaymentMethodSet"]
    assert "label=card ending 4242" in row["summary"]
    assert "token" not in row["summary"]
    for caller in (owner, colleague):
        shown = everything_shown(client, caller)
        assert CARD_OK not in shown
        assert card_numbers_in(shown) == []
        assert "sbx_card_" not in shown
    shown_to_member = everything_shown(client, colleague)
    assert "card ending 4242" not in shown_to_member  # billing is the owner's
    assert "Account.PaymentMethodSet" not in shown_to_member


@pytest.mark.parametrize(
    ("number", "status", "reason"),
    [
        ("4242424242424242", 200, ""),
        ("4000000000000002", 402, "card declined"),
        ("4000000000009995", 402, "insufficient funds"),
    ],
)
def test_a_card_stored_before_tokenization_charges_alike_and_never_shows(
    client: TestClient, podium: Podium, number: str, status: int, reason: str
) -> None:
    """A version-1 PaymentMethodSet with the number in its token is read without it: the
    timeline and account show no number, and charging gives the test card's outcome."""
    owner = trial_owner(client, "owner@example.com")
    store_legacy_card(podium, owner.account_id, number)
    response = client.post("/account/funds", json={"amount": 1_000}, headers=owner.headers)
    if status == 200:
        assert expect(response, 200)["balance"] == 1_000
    else:
        assert reason in problem(response, status)["detail"]
    shown = everything_shown(client, owner)
    assert f"card ending {number[-4:]}" in shown
    assert number not in shown
    assert card_numbers_in(shown) == []
    summaries = orjson.dumps(podium.views.timeline.timeline(owner.account_id, 500)).decode()
    assert number not in summaries
