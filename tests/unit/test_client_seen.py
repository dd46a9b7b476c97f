"""What a join records of its client: the parsing and lookup adapters, the rule that combines
them, and joins stored before the client was recorded."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from uuid import uuid4

import orjson
import pytest
from eventsourcing.utils import get_topic

from domain.admission import Admission
from domain.client import Device, client_seen, country_hint
from podium.client_info import IptoccCountries, UaParserDevices
from projections.room_feed.kinds import payload_of
from projections.timeline.text import summarize
from tests.unit.factories import START, sqlite_store

USER_AGENTS = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Safari/537.36",
        Device("Chrome 120", "Windows 10", "desktop"),
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0",
        Device("Firefox 121", "Mac OS X 10.15", "desktop"),
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/16.6 Mobile/15E148 Safari/604.1",
        Device("Mobile Safari 16", "iOS 16.6", "tablet"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/120.0.0.0 Mobile Safari/537.36",
        Device("Chrome Mobile 120", "Android 14", "mobile"),
    ),
    ("Googlebot/2.1 (+http://www.google.com/bot.html)", Device("Googlebot 2", "", "bot")),
    ("", Device()),
]


@pytest.mark.parametrize(("user_agent", "device"), USER_AGENTS)
def test_ua_parser_names_browser_system_and_kind_of_device(user_agent: str, device: Device) -> None:
    """The real ua-parser rules, not a fake: what the attendance report will show."""
    assert UaParserDevices().read(user_agent) == device


@pytest.mark.parametrize(
    ("ip", "country"),
    [
        ("81.2.69.142", "GB"),
        ("5.172.255.1", "PL"),
        ("::ffff:8.8.8.8", "US"),  # an IPv4 address as a dual-stack socket reports it
        ("2a00:1450:4001::1", "IE"),
        ("192.0.2.1", None),  # documentation range: no country
        ("10.1.2.3", None),
        ("testclient", None),
        ("", None),
    ],
)
def test_the_bundled_table_gives_the_country_of_an_address(ip: str, country: str | None) -> None:
    """iptocc's table, read offline from the installed package."""
    assert IptoccCountries().country(ip) == country


def test_a_clients_country_hint_wins_over_its_address() -> None:
    """A valid hint decides and says so; a malformed one is ignored; no answer is ""."""
    device = Device("Chrome 120", "Windows 10", "desktop")
    assert client_seen("ua", "1.2.3.4", device, "PL", "de")["country"] == "DE"
    assert client_seen("ua", "1.2.3.4", device, "PL", "de")["country_from"] == "hint"
    assert client_seen("ua", "1.2.3.4", device, "PL", "Germany")["country"] == "PL"
    assert client_seen("ua", "1.2.3.4", device, "PL", None)["country_from"] == "ip"
    assert client_seen("ua", "", device, None, None)["country_from"] == ""
    assert client_seen("x" * 2000, "", device, None, None)["user_agent"] == "x" * 512
    assert (country_hint(" pl "), country_hint("P1"), country_hint("POL")) == ("PL", "", "")


@pytest.mark.parametrize(
    ("given", "recorded"),
    [
        ("81.2.69.142", "81.2.69.142"),
        ("2001:db8::1", "2001:db8::1"),
        ("unknown", ""),  # a proxy's stand-in when it knows no address
        ("testclient", ""),
        ("1.2.3.4, 5.6.7.8", ""),
        ("", ""),
    ],
)
def test_only_an_address_is_recorded_as_the_clients_address(given: str, recorded: str) -> None:
    device = Device("Chrome 120", "Windows 10", "desktop")
    assert client_seen("ua", given, device, None, None)["ip"] == recorded


def test_a_join_stored_before_clients_were_recorded_loads_without_one(tmp_path: Path) -> None:
    """A version 2 Admitted (no client) is upcast to client None, not refused."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    admission = Admission(uuid4(), 1, "ann@example.com", "Ann", "listener", 1, "open", START)
    store.save(admission)
    store.close()
    with closing(sqlite3.connect(path)) as conn, conn:
        rowid, state = conn.execute(
            "SELECT rowid, state FROM stored_events WHERE topic = ?",
            (get_topic(Admission.Admitted),),
        ).fetchone()
        old = orjson.loads(state)
        assert old["class_version"] == 3
        del old["client"]
        old["class_version"] = 2
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (orjson.dumps(old), rowid)
        )
    store = sqlite_store(path)
    [admitted] = list(store.events.get(admission.id))
    assert isinstance(admitted, Admission.Admitted)
    assert admitted.client is None
    store.close()


def test_a_joins_client_reaches_no_room_socket() -> None:
    """The room feed's payload of a join leaves the client out, for presenters too."""
    client = client_seen("ua", "81.2.69.142", Device("Chrome 120", "", "desktop"), "GB", None)
    admission = Admission(
        uuid4(), 1, "ann@example.com", "Ann", "listener", 1, "open", START, client
    )
    admission.come_back(START, client)
    events = admission.collect_events()
    assert [type(e) for e in events] == [Admission.Admitted, Admission.Returned]
    assert isinstance(events[0], Admission.Admitted)
    assert events[0].client == client
    for event in events:
        assert "client" not in payload_of(event)
        assert "81.2.69.142" not in summarize(event)
