"""The Statistics tab, now and as of any past instant (issue 10 §2, §8; decision 0028).

A scripted session runs on the manual clock; at several moments (before anyone came, inside
the running session, during a phone call, after the end) the test reads `GET /statistics` as
it answered then. Afterwards `as_of` each of those moments must give the same answer, and so
must a fresh rebuild of every read model over the log cut at that moment.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.routes.statistics import past_statistics
from podium.bootstrap import Podium
from podium.clock import ManualClock
from projections.projector import Projector
from projections.statistics.view import COLUMNS, Filters, StatisticsView
from projections.store import SQLiteReadStore, migrate
from tests.conftest import START
from tests.e2e.dial_in import SECRET, TOLL_FREE, Phone, phone_room
from tests.e2e.helpers import Caller, Json, expect, problem, trial_owner
from tests.e2e.rooms import schedule
from tests.e2e.test_attendance import IPHONE_SAFARI, MAC_FIREFOX, WINDOWS_CHROME, join_from
from tests.e2e.test_live_sessions import end, start

LIVE_ONLY = ("as_of", "position")


@pytest.fixture(autouse=True)
def gateway_on(podium: Podium) -> None:
    podium.settings.telephony_secret = SECRET


def stats(client: TestClient, owner: Caller, **params: str) -> Json:
    return expect(client.get("/statistics", params=params, headers=owner.headers), 200)


def facts(answer: Json) -> Json:
    return {key: value for key, value in answer.items() if key not in LIVE_ONLY}


def scripted(
    client: TestClient, podium: Podium, clock: ManualClock
) -> tuple[Caller, Json, dict[datetime, Json]]:
    """A webinar scheduled, a permanent room with a session: three browsers and a caller.
    Returns the owner, the room, and what `GET /statistics` said at each captured moment."""
    seen: dict[datetime, Json] = {}

    def capture() -> None:
        seen[clock.now()] = stats(client, owner)
        clock.advance(timedelta(seconds=1))  # nothing later shares the captured instant

    owner = trial_owner(client, "owner@example.com")
    schedule(client, owner, starts_at="2026-11-20T10:00:00", room_type="webinar")
    room = phone_room(client, owner, seats=10, toll_free=True)
    clock.advance(timedelta(minutes=1))
    capture()  # rooms, no session yet
    start(client, owner, room)
    ann = join_from(client, room, "ann@example.com", WINDOWS_CHROME, "81.2.69.142")
    join_from(client, room, "bob@example.com", IPHONE_SAFARI, "5.172.255.1")
    clock.advance(timedelta(minutes=7))
    capture()  # inside the running session: visits open, counted up to now
    join_from(client, room, "cara@example.com", MAC_FIREFOX, "8.8.8.8", country="de")
    expect(client.post(f"/rooms/{room['room_id']}/leave", json={"credential": ann.credential}), 200)
    phone = Phone(client, podium, "CA-stats", "+48 600 100 301")
    phone.dial(TOLL_FREE)
    phone.pin(room["phone_listener_pin"])
    clock.advance(timedelta(minutes=3, seconds=10))
    capture()  # a call going on
    clock.advance(timedelta(minutes=5))
    phone.hang_up()
    clock.advance(timedelta(minutes=10))
    end(client, owner, room)
    capture()  # after the end
    return owner, room, seen


def rebuilt_at(podium: Podium, moment: datetime, directory: Path) -> Json:
    """Every read model rebuilt from scratch over the log cut at ``moment``, found by reading
    the whole log (not the binary search the API uses), then the statistics from it."""
    recorder, decode = podium.store.recorder, podium.store.mapper.to_domain_event
    cut = 0
    for notification in recorder.select_notifications(0, 1_000_000):
        event: Any = decode(notification)
        if (getattr(event, "at", None) or event.timestamp) <= moment:
            cut = notification.id
    store = SQLiteReadStore(directory / f"rebuilt-{cut}.sqlite")
    migrate(store)
    Projector(recorder, decode, store, podium.projector.projections).catch_up(until=cut)
    account_id = store.query("SELECT account_id FROM accounts")[0]["account_id"]
    answer = StatisticsView(store).statistics(account_id, moment, Filters())
    store.close()
    return answer


def test_the_statistics_show_the_session(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Totals, months, room types, countries, devices, attendees and dial-in minutes."""
    owner, room, _ = scripted(client, podium, clock)
    answer = stats(client, owner)
    assert answer["totals"] == {"events": 2, "sessions": 1, "attendees": 4, "phone_minutes": 9}
    assert answer["as_of"] is None
    assert answer["position"] == podium.store.recorder.max_notification_id()
    assert {row["room_type"]: row["events"] for row in answer["room_types"]} == {
        "webinar": 1, room["room_type"]: 1,
    } if room["room_type"] != "webinar" else {"webinar": 2}  # fmt: skip
    months = {row["month"]: row for row in answer["events_per_month"]}
    assert months["2026-11"] == {"month": "2026-11", "events": 1, "sessions": 0}
    assert months["2026-10"]["sessions"] == 1
    countries = {row["country"]: row["attendees"] for row in answer["countries"]}
    assert countries == {"GB": 1, "PL": 1, "DE": 1, "": 1}
    devices = {row["device"]: row["attendees"] for row in answer["devices"]}
    assert devices == {"desktop": 2, "mobile": 1, "phone": 1}
    people = {row["email"]: row for row in answer["attendees"]}
    assert people["ann@example.com"]["seconds_present"] == 7 * 60 + 1
    assert people["ann@example.com"]["browser"] == "Chrome 120"
    assert people["ann@example.com"]["room_name"] == room["name"]
    assert set(people["ann@example.com"]) == set(COLUMNS["attendees"])
    [call] = answer["phone"]
    assert set(call) == set(COLUMNS["phone"])
    assert (call["toll_free_calls"], call["toll_free_minutes"]) == (1, 9)
    assert (call["session"], call["calls"], call["minutes"]) == (1, 1, 9)  # 8 min 11 s, rounded up


def test_filters_and_csv(client: TestClient, podium: Podium, clock: ManualClock) -> None:
    """from/to keep sessions started in range; room_id one room; every table downloads."""
    owner, room, _ = scripted(client, podium, clock)
    later = stats(client, owner, **{"from": "2026-11-01T00:00:00Z"})
    assert later["totals"] == {"events": 1, "sessions": 0, "attendees": 0, "phone_minutes": 0}
    one = stats(client, owner, room_id=room["room_id"])
    assert (one["totals"]["events"], one["totals"]["attendees"]) == (1, 4)
    download = client.get("/statistics/attendees.csv", headers=owner.headers)
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert {row["email"] for row in rows} == {r["email"] for r in one["attendees"]}
    empty = client.get("/statistics/phone.csv", params={"from": "2027-01-01T00:00:00Z"},
                       headers=owner.headers)  # fmt: skip
    assert empty.text.splitlines()[0].split(",")[:3] == ["room_id", "room_name", "session"]
    problem(client.get("/statistics/nothing.csv", headers=owner.headers), 422)
    backwards = {"from": "2026-11-01T00:00:00Z", "to": "2026-10-01T00:00:00Z"}
    found = problem(client.get("/statistics", params=backwards, headers=owner.headers), 422)
    assert "must be before" in found["detail"]


def test_as_of_equals_the_live_answer_and_a_rebuild_cut_there(
    client: TestClient, podium: Podium, clock: ManualClock, tmp_path: Path
) -> None:
    """For each captured moment: as_of == what was answered then == a fresh rebuild at it."""
    owner, _, seen = scripted(client, podium, clock)
    assert len(seen) == 4
    for moment, live in seen.items():
        past = stats(client, owner, as_of=moment.isoformat())
        assert past["as_of"] == moment.isoformat()
        assert facts(past) == facts(live), moment
        assert facts(past) == rebuilt_at(podium, moment, tmp_path), moment
    # Asked again: the same answer from the cache.
    first = next(iter(seen))
    assert facts(stats(client, owner, as_of=first.isoformat())) == facts(seen[first])


def test_another_accounts_rooms_are_not_counted(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A second account sees none of the first one's figures, nor its room."""
    _, room, _ = scripted(client, podium, clock)
    other = trial_owner(client, "other@example.com")
    answer = stats(client, other)
    assert answer["totals"] == {"events": 0, "sessions": 0, "attendees": 0, "phone_minutes": 0}
    found = problem(client.get("/statistics", params={"room_id": room["room_id"]},
                               headers=other.headers), 404)  # fmt: skip
    assert "room" in found["detail"]


@pytest.mark.parametrize(
    ("as_of", "says"),
    [
        ("2999-01-01T00:00:00Z", "future"),
        ((START - timedelta(days=1)).isoformat(), "before the account existed"),
        ("yesterday", "not an ISO 8601 instant"),
        ("2026-10-15T09:00:00", "offset"),
    ],
)
def test_a_bad_as_of_is_refused_with_a_reason(client: TestClient, as_of: str, says: str) -> None:
    """In the future, before the account, unparseable, without an offset: 422, a message."""
    owner = trial_owner(client, "owner@example.com")
    found = problem(client.get("/statistics", params={"as_of": as_of}, headers=owner.headers), 422)
    assert says in found["detail"]
    csv_too = client.get("/statistics/attendees.csv", params={"as_of": as_of},
                         headers=owner.headers)  # fmt: skip
    assert csv_too.status_code == 422


def test_statistics_need_a_login(client: TestClient) -> None:
    """No credentials: 401."""
    assert client.get("/statistics").status_code == 401


def test_as_of_in_any_order_with_a_tiny_cache(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """Latest first, one store kept: every cut is projected afresh or from what is left, the
    evicted ones again when asked again; the answers stay those given live."""
    owner, _, seen = scripted(client, podium, clock)
    past_statistics(podium).cache_size = 1
    for moment in [*reversed(seen), *seen]:
        assert facts(stats(client, owner, as_of=moment.isoformat())) == facts(seen[moment])
    assert len(list(Path(past_statistics(podium)._directory.name).iterdir())) <= 2  # db + wal


def test_as_of_while_another_cut_is_being_built_is_503_not_a_queue(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A long build must not hold every API thread behind it: a request that cannot have the
    builder within its wait is told to come back (503, Retry-After), and served once free."""
    owner, _, seen = scripted(client, podium, clock)
    moment = next(iter(seen))
    past = past_statistics(podium)
    past.wait = 0.05
    with past._lock:  # another request's build
        busy = client.get(
            "/statistics", params={"as_of": moment.isoformat()}, headers=owner.headers
        )
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "5"
    assert "being computed" in busy.json()["detail"]
    assert facts(stats(client, owner, as_of=moment.isoformat())) == facts(seen[moment])
