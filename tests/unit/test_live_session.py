"""Live sessions in the domain: the session counter, ending, seats given back, old events."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from uuid import uuid4

import orjson
import pytest
from eventsourcing.utils import get_topic

from domain.admission import Admission, LiveSlot, Seat
from domain.errors import InvalidRequestError, RuleViolationError
from domain.live_session import LiveSession, RoomSessions, current_session
from tests.unit.factories import START, load, sqlite_store


def test_the_counter_moves_to_the_next_session_only_when_one_ends() -> None:
    """Joins enter session 1 before any start; after an end, the next session; twice changes
    nothing."""
    assert current_session(None) == 1
    sessions = RoomSessions(uuid4())
    assert sessions.start() is True
    assert sessions.start() is False
    assert (current_session(sessions), sessions.live) == (1, True)
    assert sessions.end() is True
    assert sessions.end() is False
    assert (current_session(sessions), sessions.live) == (2, False)
    assert len(sessions.collect_events()) == 3  # opened, started, ended


def test_a_session_ends_once_and_only_in_a_known_way() -> None:
    """Ending an ended session appends nothing; an unknown way of ending is refused."""
    live = LiveSession(uuid4(), 1, "login:x", START)
    with pytest.raises(InvalidRequestError):
        live.end("vanished", START)
    live.end("ended_for_all", START)
    live.end("left_empty", START)
    assert (live.live, live.ended_how) == (False, "ended_for_all")
    assert len(live.collect_events()) == 2


def test_only_the_holder_gives_a_seat_back() -> None:
    """A seat is released by the person on it; a stale leave of someone else frees nothing."""
    seat = Seat(uuid4(), 1, "attendee", 3, "ann@example.com")
    seat.release("bob@example.com", START)
    assert not seat.free
    seat.release("ann@example.com", START)
    assert seat.free
    seat.take("bob@example.com")
    assert (seat.free, seat.email) == (False, "bob@example.com")


def as_version_1(path: Path, topic: str) -> None:
    """Rewrite the stored ``topic`` event as the code before sessions wrote it."""
    with closing(sqlite3.connect(path)) as conn, conn:
        rowid, state = conn.execute(
            "SELECT rowid, state FROM stored_events WHERE topic = ?", (topic,)
        ).fetchone()
        changed = orjson.loads(state)
        del changed["session"]
        changed.pop("class_version", None)
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (orjson.dumps(changed), rowid)
        )


def test_seats_and_admissions_stored_before_sessions_load_as_session_one(tmp_path: Path) -> None:
    """A v1 Seat.Taken and Admission.Admitted (no session) are upcast to session 1."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    room_id = uuid4()
    seat = Seat(room_id, 4, "attendee", 2, "ann@example.com")
    admission = Admission(room_id, 4, "ann@example.com", "Ann", "listener", 2, "open", START)
    store.save(seat, admission)
    store.close()
    as_version_1(path, get_topic(Seat.Taken))
    as_version_1(path, get_topic(Admission.Admitted))
    store = sqlite_store(path)
    loaded_seat = load(store, Seat, seat.id)
    loaded_admission = load(store, Admission, admission.id)
    assert (loaded_seat.session, loaded_seat.email) == (1, "ann@example.com")
    assert (loaded_admission.session, loaded_admission.seat) == (1, 2)
    store.close()


def test_a_live_slot_is_given_back_only_by_the_room_holding_it() -> None:
    """Freeing for another room, or a free slot, changes nothing; the holder's frees it now."""
    room, other = uuid4(), uuid4()
    slot = LiveSlot(uuid4(), 1)
    assert slot.free(room, START) is False
    slot.take(room, START + timedelta(hours=12), START)
    assert slot.free(other, START) is False
    assert slot.free(room, START + timedelta(minutes=30)) is True
    assert slot.is_free(START)
    assert not slot.holds(room, START)
    assert slot.free(room, START + timedelta(minutes=31)) is False
    assert len(slot.collect_events()) == 3  # opened, taken, freed


def test_a_session_end_stored_before_the_thank_you_page_loads_with_none(tmp_path: Path) -> None:
    """A v1 LiveSession.Ended (no ``by``, no thank-you page) loads as ended, with neither."""
    path = tmp_path / "e.db"
    store = sqlite_store(path)
    live = LiveSession(uuid4(), 1, "host@example.com", START)
    live.end("ended_for_all", START, "host@example.com", "https://example.com/thanks")
    store.save(live)
    store.close()
    with closing(sqlite3.connect(path)) as conn, conn:
        rowid, state = conn.execute(
            "SELECT rowid, state FROM stored_events WHERE topic = ?",
            (get_topic(LiveSession.Ended),),
        ).fetchone()
        old = orjson.loads(state)
        for added in ("by", "thank_you_page_url", "class_version"):
            old.pop(added, None)
        conn.execute(
            "UPDATE stored_events SET state = ? WHERE rowid = ?", (orjson.dumps(old), rowid)
        )
    store = sqlite_store(path)
    loaded = load(store, LiveSession, live.id)
    assert (loaded.live, loaded.ended_how, loaded.thank_you_page_url) == (
        False,
        "ended_for_all",
        None,
    )
    store.close()


def test_a_session_locks_only_while_live_and_a_repeat_changes_nothing() -> None:
    """Locking twice is one event; an ended session cannot be locked."""
    live = LiveSession(uuid4(), 1, "host@example.com", START)
    assert live.set_locked(True, "host@example.com", START) is True
    assert live.set_locked(True, "host@example.com", START) is False
    live.end("ended_for_all", START)
    with pytest.raises(RuleViolationError, match="ended"):
        live.set_locked(False, "host@example.com", START)
