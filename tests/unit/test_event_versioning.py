"""Event and snapshot versioning: stored state written by earlier code still loads."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import orjson
from eventsourcing.utils import get_topic

from commands.snapshots import SealedSnapshot
from domain.account import Account
from domain.api_key import SESSION, ApiKey
from domain.plans import BillingCycle, plan_by_id
from tests.unit.factories import START, load, sqlite_store

OPENED_TOPIC = get_topic(Account.Opened)


def rewrite_opened_state(path: Path, change: Any) -> dict[str, Any]:
    """Apply ``change`` to the stored JSON state of the only Account.Opened row; return the
    state as it was stored before the change."""
    with closing(sqlite3.connect(path)) as conn, conn:
        rowid, state = conn.execute(
            "SELECT rowid, state FROM stored_events WHERE topic = ?", (OPENED_TOPIC,)
        ).fetchone()
        stored: dict[str, Any] = orjson.loads(state)
        changed = dict(stored)
        change(changed)
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (orjson.dumps(changed), rowid)
        )
    return stored


def save_nonprofit_account(path: Path) -> Account:
    store = sqlite_store(path)
    account = Account("Old Co", "owner@old.example", START, nonprofit=True)
    store.save(account)
    store.close()
    return account


def test_opened_is_stored_as_version_2_with_nonprofit(tmp_path: Path) -> None:
    """A new Opened event is stored with class_version 2 and its nonprofit flag."""
    path = tmp_path / "e.db"
    save_nonprofit_account(path)
    stored = rewrite_opened_state(path, lambda state: None)
    assert stored["class_version"] == 2
    assert stored["nonprofit"] is True


def test_a_version_2_account_loads_unchanged(tmp_path: Path) -> None:
    """Loading a version-2 Opened keeps nonprofit as saved (no upcast runs)."""
    path = tmp_path / "e.db"
    account = save_nonprofit_account(path)
    store = sqlite_store(path)
    loaded = load(store, Account, account.id)
    assert loaded.nonprofit is True
    store.close()


def test_a_version_1_opened_event_is_upcast_to_nonprofit_false(tmp_path: Path) -> None:
    """A stored v1 Opened (no nonprofit, no class_version) loads as a for-profit account."""
    path = tmp_path / "e.db"
    account = save_nonprofit_account(path)

    def as_version_1(state: dict[str, Any]) -> None:
        del state["nonprofit"]
        state.pop("class_version", None)

    rewrite_opened_state(path, as_version_1)
    store = sqlite_store(path)
    [opened] = list(store.events.get(account.id))
    assert isinstance(opened, Account.Opened)
    assert opened.nonprofit is False  # set by the upcaster: the stored state had no such key
    loaded = load(store, Account, account.id)
    assert loaded.nonprofit is False
    assert (loaded.name, loaded.owner_email, loaded.opened_at) == (
        "Old Co",
        "owner@old.example",
        START,
    )
    store.close()


def test_upcast_v1_v2_adds_nonprofit_false() -> None:
    """The upcaster adds nonprofit=False and leaves the other fields."""
    state: dict[str, Any] = {"name": "Old Co", "owner_email": "o@old.example"}
    Account.Opened.upcast_v1_v2(state)
    assert state == {"name": "Old Co", "owner_email": "o@old.example", "nonprofit": False}


def drop_from_snapshot_state(path: Path, *names: str) -> None:
    """Remove ``names`` from the aggregate state inside the only stored snapshot (resealed)."""
    with closing(sqlite3.connect(path)) as conn, conn:
        originator_id, state = conn.execute(
            "SELECT originator_id, state FROM stored_snapshots"
        ).fetchone()
        snapshot: dict[str, Any] = orjson.loads(state)
        for name in names:
            snapshot["state"].pop(name, None)
        conn.execute(
            "UPDATE stored_snapshots SET state = ? WHERE originator_id = ?",
            (orjson.dumps(snapshot), originator_id),
        )
    reseal_only_snapshot(path)


def reseal_only_snapshot(path: Path) -> None:
    """Seal the only stored snapshot again after a test rewrote it into an older shape, as the
    code of that time would have sealed it: the upcaster is under test here, not the seal
    (which refuses any edited snapshot: tests/unit/test_snapshots.py)."""
    with closing(sqlite3.connect(path)) as conn:
        originator_id, state = conn.execute(
            "SELECT originator_id, state FROM stored_snapshots"
        ).fetchone()
    store = sqlite_store(path)
    assert store.snapshots is not None
    [stored] = store.snapshots.get(UUID(hex=originator_id))
    assert isinstance(stored, SealedSnapshot)
    snapshot: dict[str, Any] = orjson.loads(state)
    snapshot["seal"] = store.sealer.seal(stored)
    store.close()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "UPDATE stored_snapshots SET state = ? WHERE originator_id = ?",
            (orjson.dumps(snapshot), originator_id),
        )


def test_a_snapshot_taken_before_anchor_day_existed_still_renews(tmp_path: Path) -> None:
    """An Account snapshot without anchor_day (the earlier state shape) loads and renews."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    account = Account("Acme", "owner@acme.example", START)
    account.subscribe(plan_by_id("live-100"), BillingCycle.MONTHLY, START)
    while account.version < 50:
        account.set_payment_method("card", f"tok_{account.version}", "Visa", START)
    store.save(account)
    store.close()
    drop_from_snapshot_state(path, "anchor_day", "class_version")
    store = sqlite_store(path)
    loaded = load(store, Account, account.id)
    assert store.snapshot_faults == []  # built on the old-shape snapshot, through the upcaster
    assert loaded.period_end == datetime(2026, 11, 15, 9, 0, tzinfo=UTC)
    loaded.renew(loaded.period_end)
    assert loaded.period_end == datetime(2026, 12, 15, 9, 0, tzinfo=UTC)
    store.close()


def test_a_version_1_api_key_is_a_session_of_the_first_password(tmp_path: Path) -> None:
    """An ApiKey.Issued stored before password generations existed loads with generation 0,
    so it stays valid until its login's password first changes."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    key = ApiKey("d" * 64, uuid4(), uuid4(), SESSION, START, 3)
    store.save(key)
    store.close()
    topic = get_topic(ApiKey.Issued)
    with closing(sqlite3.connect(path)) as conn, conn:
        rowid, state = conn.execute(
            "SELECT rowid, state FROM stored_events WHERE topic = ?", (topic,)
        ).fetchone()
        stored = orjson.loads(state)
        assert (stored["class_version"], stored["password_generation"]) == (2, 3)
        del stored["password_generation"]
        del stored["class_version"]
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (orjson.dumps(stored), rowid)
        )
    loaded = load(sqlite_store(path), ApiKey, key.id)
    assert (loaded.password_generation, loaded.is_session) == (0, True)


PAYMENT_METHOD_TOPIC = get_topic(Account.PaymentMethodSet)


def save_account_with_card(path: Path, number: str) -> Account:
    """An account whose PaymentMethodSet is stored as version 1 was: the number in the token."""
    store = sqlite_store(path)
    account = Account("Old Co", "owner@old.example", START)
    account.set_payment_method("card", "tok", f"card ending {number[-4:]}", START, "x", "y")
    store.save(account)
    store.close()
    with closing(sqlite3.connect(path)) as conn, conn:
        rowid, state = conn.execute(
            "SELECT rowid, state FROM stored_events WHERE topic = ?", (PAYMENT_METHOD_TOPIC,)
        ).fetchone()
        stored = orjson.loads(state)
        assert stored["class_version"] == 2
        for name in ("class_version", "last4", "brand"):
            del stored[name]
        stored["token"] = f"sandbox_card_{number}"
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (orjson.dumps(stored), rowid)
        )
    return account


def test_a_version_1_payment_method_loads_without_its_card_number(tmp_path: Path) -> None:
    """A stored v1 PaymentMethodSet whose token held the card number is read with the number
    taken out: a legacy token, last4 and brand, and nothing else of the number."""
    path = tmp_path / "e.db"
    account = save_account_with_card(path, "4000000000000002")
    store = sqlite_store(path)
    [_, event] = list(store.events.get(account.id))
    assert isinstance(event, Account.PaymentMethodSet)
    assert (event.token, event.last4, event.brand) == ("sandbox_card_legacy0002", "0002", "visa")
    loaded = load(store, Account, account.id)
    assert loaded.payment_method == {
        "kind": "card",
        "token": "sandbox_card_legacy0002",
        "label": "card ending 0002",
        "last4": "0002",
        "brand": "visa",
    }
    assert "4000000000000002" not in orjson.dumps(vars(event), default=str).decode()
    store.close()


def test_upcast_payment_method_v1_v2_leaves_a_gateways_own_token() -> None:
    """A v1 token with no number in it (PayPal, a real gateway's) is kept as it was."""
    state: dict[str, Any] = {"kind": "paypal", "token": "sandbox_paypal_a@b.example", "label": "x"}
    Account.PaymentMethodSet.upcast_v1_v2(state)
    assert state == {
        "kind": "paypal",
        "token": "sandbox_paypal_a@b.example",
        "label": "x",
        "last4": "",
        "brand": "",
    }


def test_a_version_2_snapshot_with_a_card_number_loads_without_it(tmp_path: Path) -> None:
    """An Account snapshot written before tokenization (state version 2) is upcast: the number
    leaves the payment method's token, its last four digits stay."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    account = Account("Acme", "owner@acme.example", START)
    while account.version < 50:
        account.set_payment_method("card", "tok", "card ending 4242", START, "4242", "visa")
    store.save(account)
    store.close()
    with closing(sqlite3.connect(path)) as conn, conn:
        originator_id, state = conn.execute(
            "SELECT originator_id, state FROM stored_snapshots"
        ).fetchone()
        snapshot: dict[str, Any] = orjson.loads(state)
        assert snapshot["state"]["class_version"] == 3
        snapshot["state"]["class_version"] = 2
        snapshot["state"]["payment_method"] = {
            "kind": "card",
            "token": "sandbox_card_4242424242424242",
            "label": "card ending 4242",
        }
        conn.execute(
            "UPDATE stored_snapshots SET state = ? WHERE originator_id = ?",
            (orjson.dumps(snapshot), originator_id),
        )
    reseal_only_snapshot(path)
    store = sqlite_store(path)
    loaded = load(store, Account, account.id)
    assert store.snapshot_faults == []  # built on the version-2 snapshot, through the upcaster
    assert loaded.payment_method == {
        "kind": "card",
        "token": "sandbox_card_legacy4242",
        "label": "card ending 4242",
        "last4": "4242",
        "brand": "visa",
    }
    store.close()
