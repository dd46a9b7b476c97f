"""Where recordings' files are kept: the storage port (decision 0025).

The write side names a file by a key it derives (``recording_key``), so storing the same take
twice (a retried composition) writes the same key again: one file. The filesystem adapter is
``podium.storage.FileStorage``; an object store can take its place behind the same protocol.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol
from uuid import UUID


class StoredFileMissingError(LookupError):
    """No file is stored under the key."""


class Storage(Protocol):
    def put(self, key: str, source: Path) -> int:
        """Store ``source``'s bytes under ``key`` (replacing what was there, whole or not at
        all) and answer their size; ``source`` may be moved away."""
        ...

    def size(self, key: str) -> int | None:
        """The stored file's size, None when nothing is stored under ``key``."""
        ...

    def chunks(self, key: str, chunk_size: int = 1 << 16) -> Iterator[bytes]:
        """The stored bytes in order (StoredFileMissingError when there are none)."""
        ...


def recording_key(account_id: UUID, room_id: UUID, session: int, number: int) -> str:
    """The storage key of a take's composed file: the same take, the same key."""
    return f"recordings/{account_id}/{room_id}/{session}/{number}.webm"


def report_key(account_id: UUID, room_id: UUID, session: int, language: str) -> str:
    """The storage key of a session's PDF report in one language (decision 0030)."""
    return f"reports/{account_id}/{room_id}/{session}/{language}.pdf"
