"""The feed's wire format: every aggregate's module has a context, and an envelope carries the
event as the store decodes it."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from uuid import uuid4

import pytest

from domain.room import Room
from podium import feed

DOMAIN = Path(__file__).resolve().parents[2] / "domain"


def _modules_with_aggregates() -> set[str]:
    found = set()
    for path in DOMAIN.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            bases = [ast.unparse(base) for base in getattr(node, "bases", [])]
            if isinstance(node, ast.ClassDef) and "Aggregate" in bases:
                relative = path.relative_to(DOMAIN.parent).with_suffix("")
                found.add(".".join(relative.parts))
    return found


def test_every_module_with_aggregates_has_a_context() -> None:
    modules = _modules_with_aggregates()
    assert "domain.room" in modules  # the scan finds them
    unmapped = {module for module in modules if feed.context_of(f"{module}:X.Y") == feed.OTHER}
    assert not unmapped, f"add these to podium.feed.CONTEXTS: {sorted(unmapped)}"


def test_contexts_name_the_live_package_and_the_rest() -> None:
    assert feed.context_of("domain.live.chat:ChatMessage.Posted") == "live"
    assert feed.context_of("domain.ledger:Ledger.Credited") == "billing"
    assert feed.context_of("somewhere.else:Thing.Happened") == feed.OTHER
    assert feed.OTHER in feed.contexts()


def test_an_envelope_is_versioned_json_of_the_decoded_event() -> None:
    at = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    room_id = uuid4()
    event = cast(Any, Room.LockChanged)(
        originator_id=room_id, originator_version=3, timestamp=at, locked=True, at=at
    )
    value = feed.read(feed.envelope(42, "domain.room:Room.LockChanged", event))
    assert value["schema"] == feed.SCHEMA
    assert value["id"] == 42
    assert value["context"] == "rooms"
    assert value["aggregate_id"] == str(room_id)
    assert value["version"] == 3
    assert value["timestamp"] == at.isoformat()
    assert value["sealed"] == []
    assert value["data"] == {"locked": True, "at": at.isoformat()}
    headers = dict(feed.headers(42, "domain.room:Room.LockChanged", event))
    assert headers["podium-notification-id"] == b"42"
    assert headers["podium-version"] == b"3"
    assert feed.key(event) == str(room_id).encode()


def test_a_value_of_another_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="schema 2"):
        feed.read(b'{"schema": 2}')
