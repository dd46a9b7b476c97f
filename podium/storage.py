"""The storage port on the local filesystem, under the data directory (decision 0025)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from commands.storage import StoredFileMissingError


class FileStorage:
    """Files under ``root``, one per key; a put is a rename, so a reader never sees half."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        parts = PurePosixPath(key).parts
        if not parts or key.startswith("/") or any(p in ("..", ".", "") for p in parts):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root.joinpath(*parts)

    def put(self, key: str, source: Path) -> int:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.part")
        shutil.move(source, temporary)  # a rename when both are on one filesystem
        with temporary.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, target)
        return target.stat().st_size

    def size(self, key: str) -> int | None:
        try:
            return self._path(key).stat().st_size
        except FileNotFoundError:
            return None

    def chunks(self, key: str, chunk_size: int = 1 << 16) -> Iterator[bytes]:
        try:
            handle = self._path(key).open("rb")
        except FileNotFoundError as missing:
            raise StoredFileMissingError(key) from missing
        with handle:
            while chunk := handle.read(chunk_size):
                yield chunk
