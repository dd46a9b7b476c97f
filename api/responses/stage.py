"""Answers about a session's whiteboard and stage (decision 0018)."""

from __future__ import annotations

from typing import Any

from api.responses.base import Answer


class BoardState(Answer):
    """Whether attendees may draw, and how many times the board was cleared."""

    room_id: str
    session: int
    collaborate: bool
    generation: int


class Board(BoardState):
    """The board a late joiner sees: the marks since the last clear, oldest first."""

    marks: list[dict[str, Any]]


class MarkState(Answer):
    mark_id: str
    kind: str
    generation: int
    points: list[list[float]]


class StageState(Answer):
    """What the session shows: the file and page, the video and where it is (seconds)."""

    room_id: str
    session: int
    presentation: dict[str, Any] | None
    video: dict[str, Any] | None


class CameraState(Answer):
    """After a camera change: the owner's feed limit, how many are in use, who shows what."""

    room_id: str
    session: int
    limit: int
    in_use: int
    shows: dict[str, str]


class CameraFeedList(Answer):
    """Who is on stage, each showing a ``camera`` or an ``avatar``."""

    room_id: str
    session: int
    in_use: int
    feeds: list[dict[str, Any]]
