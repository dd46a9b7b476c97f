"""The transaction history's toll-free entries: their details (the numbers attendees used and
the cost) and the session's CDR, as JSON and as CSV (issue 10 section 3)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from domain.dial_in import TOLL_FREE_RATE_PER_MINUTE
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.dial_in import LOCAL, SECRET, TOLL_FREE, Phone, phone_room
from tests.e2e.helpers import Caller, Json, expect, paying_owner, problem, transactions
from tests.e2e.test_live_sessions import end, start

RATE = TOLL_FREE_RATE_PER_MINUTE.amount


@pytest.fixture(autouse=True)
def gateway_on(podium: Podium) -> None:
    podium.settings.telephony_secret = SECRET


def called_session(client: TestClient, podium: Podium, clock: ManualClock) -> tuple[Caller, Json]:
    """Two toll-free callers (3 min; 5 min 10 s) and a local one (4 min), then the end; the
    charge (3 + 6 = 9 minutes) is taken 100 cents from the balance, the rest by card."""
    owner = paying_owner(client, "owner@example.com")
    expect(client.post("/account/funds", json={"amount": 100}, headers=owner.headers), 200)
    room = phone_room(client, owner, toll_free=True)
    start(client, owner, room)
    ann = Phone(client, podium, "CA-ann", "+1 212 555 0101")
    bob = Phone(client, podium, "CA-bob", "+44 20 7946 0958")
    local = Phone(client, podium, "CA-local", "+48 600 100 100")
    for phone, number in ((ann, TOLL_FREE), (bob, "+1 800 555 0199"), (local, LOCAL)):
        phone.dial(number)
        phone.pin(room["phone_listener_pin"])
    clock.advance(timedelta(minutes=3))
    ann.hang_up()
    clock.advance(timedelta(minutes=1))
    local.hang_up()
    clock.advance(timedelta(minutes=1, seconds=10))
    bob.hang_up()
    clock.advance(timedelta(minutes=1))
    end(client, owner, room)
    podium.policies.catch_up()
    assert podium.policies.failures() == {}
    podium.projector.catch_up()
    return owner, room


def test_a_toll_free_charge_shows_the_numbers_used_and_what_each_call_cost(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Both parts of the charge (balance, card) name the session's toll-free calls: caller,
    number dialled, minutes, cost, totals; the local call is not among them; other entries
    have no details."""
    owner, room = called_session(client, podium, clock)
    entries = transactions(client, owner)
    charged = [e for e in entries if e["kind"] == "dial_in"]
    assert sorted(e["amount"] for e in charged) == [-100, -(9 * RATE - 100)]
    for entry in charged:
        path = f"/account/transactions/{entry['sequence']}"
        detail = expect(client.get(path, headers=owner.headers), 200)
        assert (detail["amount"], detail["description"]) == (entry["amount"], entry["description"])
        details = detail["details"]
        assert (details["room_id"], details["session"]) == (room["room_id"], 1)
        assert details["room_name"] == room["name"]
        assert (details["toll_free_minutes"], details["toll_free_cost"]) == (9, 9 * RATE)
        calls = {c["caller"]: c for c in details["calls"]}
        assert set(calls) == {"+1 212 555 0101", "+44 20 7946 0958"}
        ann, bob = calls["+1 212 555 0101"], calls["+44 20 7946 0958"]
        assert (ann["dialled"], ann["duration_seconds"], ann["cost"]) == (TOLL_FREE, 180, 3 * RATE)
        assert (bob["dialled"], bob["billed_minutes"], bob["cost"]) == (
            "+1 800 555 0199", 6, 6 * RATE,
        )  # fmt: skip
        assert details["cdr"] == f"/rooms/{room['room_id']}/sessions/1/cdr"
    other = next(e for e in entries if e["kind"] == "plan")
    plain = expect(
        client.get(f"/account/transactions/{other['sequence']}", headers=owner.headers), 200
    )
    assert plain["details"] is None


def test_the_cdr_lists_every_dial_in_of_the_session_also_as_csv(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Every call (toll-free or local) with caller, number dialled, start, end, duration and
    cost; the CSV download holds the same rows under a header."""
    owner, room = called_session(client, podium, clock)
    path = f"/rooms/{room['room_id']}/sessions/1/cdr"
    cdr = expect(client.get(path, headers=owner.headers), 200)
    assert (cdr["toll_free_minutes"], cdr["toll_free_cost"], cdr["currency"]) == (
        9, 9 * RATE, "USD",
    )  # fmt: skip
    rows = {c["caller"]: c for c in cdr["calls"]}
    assert len(cdr["calls"]) == 3
    local = rows["+48 600 100 100"]
    assert (local["dialled"], local["toll_free"], local["duration_seconds"], local["cost"]) == (
        LOCAL, False, 240, 0,
    )  # fmt: skip
    ann = rows["+1 212 555 0101"]
    assert ann["started_at"] < ann["ended_at"]

    for url in (f"{path}?format=csv", f"{path}.csv"):
        download = client.get(url, headers=owner.headers)
        assert download.status_code == 200, download.text
        assert download.headers["content-type"].startswith("text/csv")
        assert download.headers["content-disposition"] == (
            f"attachment; filename=cdr_{room['room_id']}_1.csv"
        )
        table = list(csv.DictReader(io.StringIO(download.text)))
        assert [r["caller"] for r in table] == [c["caller"] for c in cdr["calls"]]
        by_caller = {r["caller"]: r for r in table}
        assert by_caller["+44 20 7946 0958"]["duration_seconds"] == "310"
        assert by_caller["+44 20 7946 0958"]["cost"] == str(6 * RATE)
        assert by_caller["+48 600 100 100"]["toll_free"] == "False"


def test_unknown_and_foreign_transactions_and_cdrs_are_not_found(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A sequence past the history, a session the room never had, another account's room or
    transaction, a format not offered: 404 or 422 with a message, never a 500."""
    owner, room = called_session(client, podium, clock)
    last = transactions(client, owner)[0]["sequence"]
    problem(client.get(f"/account/transactions/{last + 1}", headers=owner.headers), 404)
    problem(client.get("/account/transactions/0", headers=owner.headers), 422)
    problem(client.get("/account/transactions/x", headers=owner.headers), 422)
    path = f"/rooms/{room['room_id']}/sessions"
    problem(client.get(f"{path}/2/cdr", headers=owner.headers), 404)
    problem(client.get(f"{path}/2/cdr.csv", headers=owner.headers), 404)
    problem(client.get(f"{path}/1/cdr?format=xlsx", headers=owner.headers), 422)
    stranger = paying_owner(client, "stranger@example.com")
    problem(client.get(f"{path}/1/cdr", headers=stranger.headers), 404)
    problem(client.get(f"{path}/1/cdr.csv", headers=stranger.headers), 404)
    theirs = transactions(client, stranger)[0]["sequence"]
    assert theirs < last  # a sequence the owner has too: the stranger sees only their own
    mine = expect(client.get(f"/account/transactions/{theirs}", headers=stranger.headers), 200)
    assert mine["details"] is None
    problem(client.get(f"/account/transactions/{last}", headers=stranger.headers), 404)


def test_a_call_still_connected_is_in_the_cdr_without_an_end_or_cost(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """While the session runs, a connected call is listed with its start; end, duration and
    cost come once it is over (empty cells in the CSV), and nothing is charged yet."""
    owner = paying_owner(client, "owner@example.com")
    room = phone_room(client, owner, toll_free=True)
    start(client, owner, room)
    phone = Phone(client, podium, "CA-open", "+1 212 555 0102")
    phone.dial(TOLL_FREE)
    phone.pin(room["phone_listener_pin"])
    clock.advance(timedelta(minutes=2))
    path = f"/rooms/{room['room_id']}/sessions/1/cdr"
    [call] = expect(client.get(path, headers=owner.headers), 200)["calls"]
    assert (call["caller"], call["ended_at"], call["duration_seconds"], call["cost"]) == (
        "+1 212 555 0102", None, None, None,
    )  # fmt: skip
    [row] = list(csv.DictReader(io.StringIO(client.get(f"{path}.csv", headers=owner.headers).text)))
    assert (row["caller"], row["ended_at"], row["cost"]) == ("+1 212 555 0102", "", "")
    podium.policies.catch_up()
    podium.projector.catch_up()
    assert [e for e in transactions(client, owner) if e["kind"] == "dial_in"] == []
