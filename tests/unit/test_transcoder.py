"""The orjson transcoder, and aggregates that survive the store: events and snapshots."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import Enum, IntEnum
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from domain.account import Account, Status
from domain.ledger import Ledger
from domain.money import Money
from domain.plans import AddOn, BillingCycle, plan_by_id
from domain.subaccount import Subaccount
from podium.transcoder import OrjsonTranscoder
from tests.unit.factories import START, load, sqlite_store

T = OrjsonTranscoder()


class Colour(Enum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


def test_datetimes_round_trip_at_any_depth() -> None:
    """Datetimes at the top, in lists and in nested dicts come back equal, zone included."""
    plus_two = timezone(timedelta(hours=2))
    state = {
        "at": START,
        "history": [START + timedelta(days=1), {"when": datetime(2027, 1, 1, tzinfo=plus_two)}],
        "nested": {"deeper": {"at": datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=UTC)}},
    }
    decoded = T.decode(T.encode(state))
    assert decoded == state
    assert decoded["history"][1]["when"].utcoffset() == timedelta(hours=2)
    assert isinstance(decoded["nested"]["deeper"]["at"], datetime)


def test_uuids_come_back_as_uuids_at_any_depth() -> None:
    """UUIDs at the top level, in lists and in nested dicts keep their type."""
    some_id, other = uuid4(), UUID(int=1)
    state = {"id": some_id, "ids": [some_id, other], "map": {"inner": {"id": other}}}
    decoded = T.decode(T.encode(state))
    assert decoded == state
    assert isinstance(decoded["id"], UUID)
    assert isinstance(decoded["ids"][1], UUID)
    assert isinstance(decoded["map"]["inner"]["id"], UUID)


def test_enums_come_back_as_their_own_members() -> None:
    """Enums of any kind, at any depth, decode to the very member that was encoded."""
    state = {
        "status": Status.PAST_DUE,
        "cycle": BillingCycle.ANNUAL,
        "add_ons": {"first": AddOn.CAMERA_FEED},
        "colours": [Colour.RED],
        "level": Level.HIGH,
    }
    decoded = T.decode(T.encode(state))
    assert decoded == state
    assert decoded["status"] is Status.PAST_DUE
    assert decoded["cycle"] is BillingCycle.ANNUAL
    assert decoded["add_ons"]["first"] is AddOn.CAMERA_FEED
    assert decoded["colours"][0] is Colour.RED
    assert decoded["level"] is Level.HIGH


def test_plain_strings_stay_strings() -> None:
    """A string that reads like an enum value or a UUID is not turned into one."""
    some_id = uuid4()
    state = {"status": "past_due", "id": str(some_id), "at": START.isoformat()}
    decoded = T.decode(T.encode(state))
    assert decoded == state
    assert all(type(value) is str for value in decoded.values())


def test_tuples_come_back_as_lists() -> None:
    """JSON has no tuples: a tuple is stored and read back as a list, its items typed."""
    assert T.decode(T.encode({"pair": (START, Status.TRIAL)})) == {"pair": [START, Status.TRIAL]}


@pytest.mark.parametrize("value", [Decimal("1.10"), {1, 2}, complex(1, 2)])
def test_values_without_a_json_form_are_refused(value: object) -> None:
    """Decimals, sets and other types without a JSON form cannot be stored in an event."""
    with pytest.raises(TypeError):
        T.encode({"value": value})


def test_a_date_is_restored_as_itself() -> None:
    """A date comes back as the same date, not as a string or a datetime."""
    decoded = T.decode(T.encode({"value": date(2026, 10, 15)}))
    assert type(decoded["value"]) is date
    assert decoded["value"] == date(2026, 10, 15)


@pytest.mark.parametrize("value", [time(9, 30), Money(100)])
def test_values_it_cannot_restore_are_refused_not_silently_changed(value: object) -> None:
    """A time of day or a dataclass has no restorable form: encoding it is refused."""
    with pytest.raises(TypeError, match="cannot store"):
        T.encode({"value": value})


def test_look_alike_dicts_are_left_alone() -> None:
    """A dict with a tag key but extra keys, or an unknown tag, is returned as a dict."""
    state = {
        "a": {"_type_": "datetime_iso", "_data_": "2026-01-01T00:00:00", "extra": 1},
        "b": {"_type_": "other", "_data_": "x"},
    }
    assert T.decode(T.encode(state)) == state


def test_non_dict_values_encode() -> None:
    """Lists and scalars encode and decode too."""
    assert T.decode(T.encode([1, "a", START])) == [1, "a", START]
    assert T.decode(T.encode(42)) == 42


# ---- through the event store ------------------------------------------------------------------


def new_account() -> Account:
    """A new account with its Opened event still pending, so the store saves it."""
    return Account("Acme Webinars", "owner@acme.example", START)


def busy_account() -> Account:
    """An account with more than 50 events: a paid year of add-ons, packages and seats."""
    account = new_account()
    account.set_payment_method("card", "tok_1", "Visa 4242", START)
    account.subscribe(plan_by_id("live-100"), BillingCycle.MONTHLY, START)
    account.apply_promo_code("WELCOME10", 10, START)
    account.buy_add_on(AddOn.CAMERA_FEED, 2, START)
    account.buy_add_on(AddOn.EXTRA_SEATS, 1, START)
    for month in range(12):
        assert account.period_end is not None
        now = account.period_end
        account.renew(now)
        account.buy_packages(25, 1, now)
        sub = UUID(int=month + 1)
        account.assign_seat(sub, 25)
        if month % 3 == 0:
            account.cancel_seat(sub)
        account.buy_add_on(AddOn.STORAGE, 1, now)
    account.record_payment_outcome(False, START + timedelta(days=400))
    return account


def test_an_account_reloads_equal_from_its_events(tmp_path: Path) -> None:
    """Saved and read back (no snapshot yet), an account's state is the same."""
    store = sqlite_store(tmp_path / "e.db")
    account = new_account()
    account.subscribe(plan_by_id("live-50"), BillingCycle.ANNUAL, START)
    account.buy_packages(50, 2, START)
    account.assign_seat(uuid4(), 50)
    store.save(account)
    loaded = load(store, Account, account.id)
    assert loaded.__dict__ == account.__dict__
    assert store.snapshots is not None
    assert list(store.snapshots.get(account.id)) == []
    store.close()


def test_a_long_account_is_snapshotted_and_reloads_equal(tmp_path: Path) -> None:
    """At 50 events the account is snapshotted; reloading through the snapshot gives equal state."""
    store = sqlite_store(tmp_path / "e.db")
    account = busy_account()
    assert account.version > 50
    store.save(account)
    assert store.snapshots is not None
    [snapshot] = list(store.snapshots.get(account.id))
    assert snapshot.originator_version == 50
    loaded = load(store, Account, account.id)
    assert loaded.__dict__ == account.__dict__
    assert loaded.limits() == account.limits()
    assert loaded.recurring_charges() == account.recurring_charges()
    assert loaded.status is Status.PAST_DUE
    assert loaded.cycle is BillingCycle.MONTHLY
    store.close()


def snapshotted_at_version_50(account: Account) -> Account:
    """``account`` padded with harmless events to exactly version 50 (so a snapshot is taken)."""
    while account.version < 50:
        account.set_payment_method("card", f"tok_{account.version}", "Visa", START)
    return account


def test_an_account_restored_from_a_snapshot_can_downgrade(tmp_path: Path) -> None:
    """A snapshotted account behaves like the original: it can schedule a downgrade."""
    store = sqlite_store(tmp_path / "e.db")
    account = new_account()
    account.subscribe(plan_by_id("live-100"), BillingCycle.MONTHLY, START)
    store.save(snapshotted_at_version_50(account))
    loaded = load(store, Account, account.id)
    assert loaded.__dict__ == account.__dict__
    assert loaded.cycle is BillingCycle.MONTHLY
    effective = loaded.downgrade(plan_by_id("live-50"), BillingCycle.MONTHLY, START)
    assert effective == account.period_end
    store.close()


def test_an_account_restored_from_a_snapshot_renews_into_its_scheduled_cycle(
    tmp_path: Path,
) -> None:
    """A downgrade to monthly scheduled before a snapshot is applied at the next renewal."""
    store = sqlite_store(tmp_path / "e.db")
    account = new_account()
    account.subscribe(plan_by_id("live-100"), BillingCycle.ANNUAL, START)
    account.downgrade(plan_by_id("live-100"), BillingCycle.MONTHLY, START)
    while account.version < 50:
        account.set_payment_method("card", f"tok_{account.version}", "Visa", START)
    store.save(account)
    loaded = load(store, Account, account.id)
    assert loaded.period_end is not None
    loaded.renew(loaded.period_end)
    assert loaded.cycle is BillingCycle.MONTHLY
    assert loaded.period_end == datetime(2027, 11, 15, 9, 0, tzinfo=UTC)
    store.close()


def long_ledger() -> Ledger:
    ledger = Ledger(uuid4())
    for i in range(60):
        ledger.record("top_up", Money(100 + i), f"top-up {i}", f"ref-{i}", START)
    return ledger


def test_a_long_ledger_is_snapshotted_and_its_chain_continues(tmp_path: Path) -> None:
    """A ledger reloaded through its snapshot keeps balance, entry count and chain head."""
    store = sqlite_store(tmp_path / "e.db")
    ledger = long_ledger()
    store.save(ledger)
    assert store.snapshots is not None
    assert [s.originator_version for s in store.snapshots.get(ledger.id)] == [50]
    loaded = load(store, Ledger, ledger.id)
    assert (loaded.balance, loaded.entries, loaded.last_hash, loaded.currency) == (
        ledger.balance,
        ledger.entries,
        ledger.last_hash,
        ledger.currency,
    )
    assert str(loaded.account_id) == str(ledger.account_id)
    loaded.record("plan", Money(-500), "Live 25", "sub", START)
    ledger.record("plan", Money(-500), "Live 25", "sub", START)
    assert loaded.last_hash == ledger.last_hash
    store.close()


def test_a_ledger_restored_from_a_snapshot_keeps_its_account_id_a_uuid(tmp_path: Path) -> None:
    """Through a snapshot the ledger's account id is still a UUID, as after an event replay."""
    store = sqlite_store(tmp_path / "e.db")
    ledger = long_ledger()
    store.save(ledger)
    loaded = load(store, Ledger, ledger.id)
    assert isinstance(loaded.account_id, UUID)
    assert loaded.__dict__ == ledger.__dict__
    store.close()


def test_other_aggregates_round_trip_through_the_store(tmp_path: Path) -> None:
    """A subaccount's ids, enums and datetimes come back from the store equal."""
    store = sqlite_store(tmp_path / "e.db")
    sub = Subaccount(uuid4(), "Sales", "Ann", "ann@acme.example", 50, START)
    sub.cancel(START + timedelta(days=30), START)
    store.save(sub)
    loaded = load(store, Subaccount, sub.id)
    assert loaded.__dict__ == sub.__dict__
    assert isinstance(loaded.parent_id, UUID)
    store.close()
