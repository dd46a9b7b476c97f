"""No card number in any answer or anything stored: a card set over HTTP, and one stored
before tokenization, read back as the owner and as a member; charges through the token keep
their outcomes; and an emailed link's token is stored nowhere either."""

from __future__ import annotations

import hashlib
import hmac
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
    link_token,
    member,
    problem,
    trial_owner,
)

READS = ("/account", "/account/transactions", "/timeline?limit=500", "/members")


def everything_shown(client: TestClient, caller: Caller) -> str:
    """Every read the caller may make of its account, as one text."""
    answers = [client.get(path, headers=caller.headers) for path in READS]
    return " ".join(a.text for a in answers if a.status_code == 200)


def everything_stored(podium: Podium) -> str:
    """Every event in the log and every read-model row, as one text."""
    log = podium.store.recorder.select_notifications(start=1, limit=100_000)
    tables = ("timeline", "accounts", "subaccounts", "billing_entries", "outbox", "logins")
    rows = [podium.read_store.query(f"SELECT * FROM {table}") for table in tables]  # noqa: S608
    return " ".join([n.state.decode() for n in log] + [orjson.dumps(rows).decode()])


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
    stored = everything_stored(podium)
    assert "card ending 4242" in stored
    assert CARD_OK not in stored  # not in any event, nor any read model


def test_an_emailed_link_token_is_stored_nowhere(client: TestClient, podium: Podium) -> None:
    """A password-reset or activation link works, yet neither the log nor any read model
    holds its token: the queued mail carries a placeholder the mailer resolves."""
    owner = trial_owner(client, "owner@example.com")
    colleague_email = "colleague@example.com"
    expect(client.post("/members", json={"email": colleague_email}, headers=owner.headers), 201)
    expect(client.post("/password-reset", json={"email": "owner@example.com"}), 202)
    reset = link_token(podium, "owner@example.com", "password_reset")
    activation = link_token(podium, colleague_email, "activation")
    stored = everything_stored(podium)
    assert "/reset-password?token={{link-token:" in stored
    for token in (reset, activation):
        assert token.partition(".")[2] not in stored
    body = {"token": reset, "password": "a brand new password"}
    expect(client.post("/password-reset/confirm", json=body), 200)
    body = {"token": activation, "password": "colleague password"}
    expect(client.post("/activation", json=body), 200)


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


def test_a_stored_request_fingerprint_cannot_be_recomputed_from_a_guess(
    client: TestClient, podium: Podium
) -> None:
    """The fingerprint kept for an Idempotency-Key is keyed with the server's secret: hashing a
    guessed password (or card number) with the request does not give it."""
    trial_owner(client, "owner@example.com")
    body = {"email": "owner@example.com", "password": "correct horse battery"}
    client.post("/sessions", json=body, headers={"Idempotency-Key": "log-in-1"})
    message = b"POST/sessions" + orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    keyed = hmac.new(podium.settings.secret.encode(), message, hashlib.sha256).hexdigest()
    stored = everything_stored(podium)
    assert keyed in stored  # the fingerprint is there, keyed
    assert hashlib.sha256(message).hexdigest() not in stored
