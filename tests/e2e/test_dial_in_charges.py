"""Toll-free minutes are charged at a session's end, once, however often the policy runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from domain.dial_in import TOLL_FREE_RATE_PER_MINUTE
from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.payments import SandboxGateway
from tests.e2e.dial_in import LOCAL, SECRET, TOLL_FREE, Phone, call_records, phone_room
from tests.e2e.helpers import account, expect, head, paying_owner, transactions
from tests.e2e.test_live_sessions import end, start

CHARGE = "charge_dial_in"


@pytest.fixture(autouse=True)
def gateway_on(podium: Podium) -> None:
    podium.settings.telephony_secret = SECRET


def test_toll_free_minutes_are_charged_from_the_balance_then_the_card_once(
    client: TestClient, podium: Podium, clock: ManualClock, gateway: SandboxGateway
) -> None:
    """A toll-free call of 10 min 30 s (11 started minutes) and a local one: at the session's
    end 11 x 12 cents are charged, 100 from the balance and 32 by card; a call still connected
    at the end counts up to the end; rewinding the policy and running it again (twice) charges
    nothing more and appends nothing."""
    owner = paying_owner(client, "owner@example.com")
    expect(client.post("/account/funds", json={"amount": 100}, headers=owner.headers), 200)
    room = phone_room(client, owner, toll_free=True)
    free, local = (
        Phone(client, podium, "CA-free", "+1 212 555 0101"),
        Phone(client, podium, "CA-local", "+48 600 100 100"),
    )
    free.dial(TOLL_FREE)
    free.pin(room["phone_listener_pin"])
    local.dial(LOCAL)
    local.pin(room["phone_listener_pin"])
    start(client, owner, room)
    clock.advance(timedelta(minutes=4))
    local.hang_up()
    clock.advance(timedelta(minutes=6, seconds=30))
    end(client, owner, room)
    clock.advance(timedelta(minutes=5))
    free.hang_up()  # after the end: the minutes after it are not the organizer's to pay

    cards_before = len(gateway.charged)
    podium.policies.catch_up()
    assert podium.policies.failures() == {}
    podium.projector.catch_up()  # the billing read model, as podium serve's projector does
    minutes, cost = 11, TOLL_FREE_RATE_PER_MINUTE.amount * 11
    dial_in = [t for t in transactions(client, owner) if t["kind"] == "dial_in"]
    assert sorted(t["amount"] for t in dial_in) == [-100, -(cost - 100)]
    assert all(f"{minutes} min" in t["description"] for t in dial_in)
    assert account(client, owner)["balance"] == 0
    assert [m.amount for _, m in gateway.charged[cards_before:]] == [cost - 100]

    records = call_records(client, owner, room)
    assert (records["toll_free_minutes"], records["toll_free_cost"]) == (minutes, cost)
    by_id = {c["call_id"]: c for c in records["calls"]}
    assert by_id["CA-free"]["duration_seconds"] == 630
    assert (by_id["CA-free"]["toll_free"], by_id["CA-free"]["cost"]) == (True, cost)
    assert (by_id["CA-local"]["toll_free"], by_id["CA-local"]["cost"]) == (False, 0)

    before = head(podium)
    for _ in range(2):
        podium.policies.rewind(CHARGE, 0)
        podium.policies.catch_up()
    assert head(podium) == before
    podium.projector.catch_up()
    assert len([t for t in transactions(client, owner) if t["kind"] == "dial_in"]) == 2
    assert len(gateway.charged) == cards_before + 1


def test_a_session_without_toll_free_calls_charges_nothing(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Local calls only: the session ends and nothing is charged."""
    owner = paying_owner(client, "owner@example.com")
    room = phone_room(client, owner)
    phone = Phone(client, podium, "CA-local-only", "+48 600 100 101")
    phone.dial(LOCAL)
    phone.pin(room["phone_presenter_pin"])
    start(client, owner, room)
    clock.advance(timedelta(minutes=30))
    phone.hang_up()
    end(client, owner, room)
    podium.policies.catch_up()
    assert [t for t in transactions(client, owner) if t["kind"] == "dial_in"] == []
    assert podium.policies.failures() == {}
