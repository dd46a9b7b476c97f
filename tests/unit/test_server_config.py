"""The server `podium serve` runs bounds what a room client may send in one frame."""

from __future__ import annotations

from fastapi import FastAPI

from podium.cli import server_config
from podium.settings import Settings


def test_a_room_frame_is_bounded_by_the_setting() -> None:
    """uvicorn refuses frames over ``ws_max_frame_bytes`` (default 256 KiB), not its 16 MB."""
    assert server_config(FastAPI(), Settings()).ws_max_size == 262_144
    small = Settings(ws_max_frame_bytes=4_096)
    assert server_config(FastAPI(), small).ws_max_size == 4_096
