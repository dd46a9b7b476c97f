"""The account's side of a stored take: size counted once, the stored length replacing what
the stop counted, in whichever order the two policies run (decision 0025)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from domain.live.recording import RecordingAccount, StoredRecording

AT = datetime(2026, 12, 2, tzinfo=UTC)


def stored(room: object, seconds: float = 61.6, size: int = 5_000) -> StoredRecording:
    return StoredRecording(room, 1, 1, "recordings/k.webm", "video/webm", size, seconds)  # type: ignore[arg-type]


def test_a_take_counted_at_stop_then_stored_counts_its_stored_length() -> None:
    """Stop counted 65 s; the file is 61.6 s: the account has used 62 s, and 5,000 bytes."""
    room = uuid4()
    account = RecordingAccount(uuid4(), AT)
    assert account.use(room, 1, 1, 65, AT)
    assert account.store(stored(room), counted_at_stop=65, at=AT)
    assert (account.used_seconds, account.stored_bytes) == (62, 5_000)
    assert not account.store(stored(room), counted_at_stop=65, at=AT)  # once
    assert (account.used_seconds, account.stored_bytes) == (62, 5_000)


def test_a_take_stored_before_its_stop_is_counted_is_counted_once() -> None:
    """The composer first: the stored length counts; the stop's count then adds nothing."""
    room = uuid4()
    account = RecordingAccount(uuid4(), AT)
    assert account.store(stored(room), counted_at_stop=65, at=AT)
    assert not account.use(room, 1, 1, 65, AT)
    assert account.used_seconds == 62
    assert account.has_stored(room, 1, 1)
    assert not account.has_stored(room, 1, 2)
