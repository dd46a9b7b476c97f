"""Room URLs: a 16-digit account handle, found by index, and the 8-digit URLs still answered."""

from __future__ import annotations

import shutil
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from domain.ids import account_handle, legacy_account_handle
from podium.bootstrap import Podium, build_read_store
from podium.settings import Settings
from projections.rooms.view import RoomsView
from projections.store import MIGRATIONS, migrate
from tests.e2e.helpers import expect, problem, trial_owner
from tests.e2e.rooms import path_of, schedule

HANDLES = "0006_room_handles.sql"


def test_the_handle_is_64_bits_of_the_id_with_the_legacy_handle_as_its_prefix() -> None:
    """16 hex digits, the same for the same id; the old 8 digits begin it; fixed digits skipped."""
    some = UUID("0123abcd-4567-4def-89ab-0123456789ab")
    assert account_handle(some) == "0123abcd4567def9"
    assert legacy_account_handle(some) == "0123abcd"
    twin = UUID("0123abcd-ffff-4fff-bfff-ffffffffffff")  # the same 8-digit handle
    assert legacy_account_handle(twin) == legacy_account_handle(some)
    assert account_handle(twin) != account_handle(some)
    handles = {account_handle(uuid4()) for _ in range(10_000)}
    assert len(handles) == 10_000


def test_a_room_answers_at_its_url_with_the_full_handle(client: TestClient) -> None:
    """The room URL carries the 16-digit handle and GET on its path is that room."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, "Town Hall")
    path = path_of(room["room_url"])
    assert path == f"/{account_handle(UUID(owner.account_id))}/town-hall"
    assert expect(client.get(path), 200)["room_id"] == room["room_id"]
    problem(client.get(f"/{'0' * 16}/town-hall"), 404)


def test_a_room_made_before_the_full_handle_keeps_its_old_url(
    client: TestClient, podium: Podium, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A room claimed under the 8-digit handle answers at both URLs; the account's next room
    of that name is numbered, and a room made since has no 8-digit URL."""
    owner = trial_owner(client, "owner@example.com")
    with monkeypatch.context() as before:  # the address claim the earlier code made
        before.setattr("commands.rooms.account_handle", legacy_account_handle)
        old = schedule(client, owner, "Weekly Sync")
    account = UUID(owner.account_id)
    legacy, full = legacy_account_handle(account), account_handle(account)
    assert expect(client.get(f"/{legacy}/weekly-sync"), 200)["room_id"] == old["room_id"]
    assert expect(client.get(f"/{full}/weekly-sync"), 200)["room_id"] == old["room_id"]
    assert path_of(old["room_url"]) == f"/{full}/weekly-sync"
    new = schedule(client, owner, "Weekly Sync")
    assert path_of(new["room_url"]) == f"/{full}/weekly-sync-2"
    assert expect(client.get(f"/{full}/weekly-sync-2"), 200)["room_id"] == new["room_id"]
    problem(client.get(f"/{legacy}/weekly-sync-2"), 404)
    podium.projector.rebuild()
    assert expect(client.get(f"/{legacy}/weekly-sync"), 200)["room_id"] == old["room_id"]
    problem(client.get(f"/{legacy}/weekly-sync-2"), 404)


def test_the_migration_gives_existing_rooms_both_handles(
    settings: Settings, tmp_path: Path
) -> None:
    """Rooms already in the read model before 0006 get the full and the legacy handle, as the
    domain computes them, and answer by both."""
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    for path in MIGRATIONS.glob("*.sql"):
        if path.name != HANDLES:
            shutil.copy(path, earlier)
    store = build_read_store(settings)
    try:
        migrate(store, earlier)
        account = uuid4()
        with store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO rooms (room_id, account_id, number, name, name_url, room_type, "
                "access_type, permanent, timezone, status, locked, settings, secrets, "
                "created_at, updated_at) VALUES (%s, %s, 1, 'Old', 'old', 'webinar', 'open', "
                "TRUE, 'UTC', 'active', FALSE, '{}', '{}', '2026-01-01T00:00:00+00:00', "
                "'2026-01-01T00:00:00+00:00')",
                (str(uuid4()), str(account)),
            )
        assert migrate(store) == [HANDLES]
        [row] = store.query("SELECT handle, legacy_handle FROM rooms")
        assert (row["handle"], row["legacy_handle"]) == (
            account_handle(account),
            legacy_account_handle(account),
        )
        view = RoomsView(store)
        found = view.by_address(legacy_account_handle(account), "old")
        assert found is not None
        assert view.by_address(account_handle(account), "old") == found
    finally:
        store.close()


def test_an_address_is_looked_up_by_index(podium: Podium) -> None:
    """Both address queries are index searches, on either store (no scan of every room)."""
    store = podium.read_store
    for column, index in (("handle", "rooms_handle"), ("legacy_handle", "rooms_legacy_handle")):
        sql = f"SELECT * FROM rooms WHERE {column} = %s AND name_url = %s"  # noqa: S608
        with store.transaction() as cursor:
            if store.dialect == "postgres":  # an empty table would be scanned: ask for the plan
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, ("0123abcd", "town-hall"))
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, ("0123abcd", "town-hall"))
            plan = " ".join(str(value) for row in cursor.fetchall() for value in row.values())
        assert index in plan, plan
