"""The whiteboard of a session: strokes and notes, who may draw, and clearing it.

Two kinds of stream (decision 0014, 0018):
- ``Whiteboard`` (id from room + session), at presenter speed: "collaborate" on or off
  (attendees draw only while it is on; presenters always) and the clears. Each clear starts a
  new ``generation``; a late joiner sees only the marks of the current one.
- ``Mark`` (random id): one stroke or one note, created and never contended, so a whole
  audience drawing at once writes new streams, never one hot one. It carries the generation
  and whether its author presents, so the read model can drop, in the log's order, a mark that
  raced a clear or collaborate being turned off.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError
from domain.ids import derived_id

MAX_POINTS = 2000
MAX_COORDINATE = 10_000
MAX_WIDTH = 50
MAX_NOTE = 500
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class MarkKind(StrEnum):
    STROKE = "stroke"
    NOTE = "note"


def _coordinate(value: float, what: str) -> float:
    if not 0 <= value <= MAX_COORDINATE:
        raise InvalidRequestError(f"{what} must be between 0 and {MAX_COORDINATE}")
    return float(value)


def mark_shape(
    kind: MarkKind,
    points: list[list[float]],
    text: str | None,
    colour: str,
    width: int,
) -> dict[str, Any]:
    """What a mark draws, checked: a stroke's points (2 to 2,000 [x, y] pairs) or a note's
    text at one point; a colour ``#rrggbb`` and a line width of 1 to 50."""
    if not COLOUR.fullmatch(colour):
        raise InvalidRequestError("colour must be #rrggbb")
    if not 1 <= width <= MAX_WIDTH:
        raise InvalidRequestError(f"width must be 1 to {MAX_WIDTH}")
    if any(len(point) != 2 for point in points):
        raise InvalidRequestError("each point is [x, y]")
    xy = [[_coordinate(x, "x"), _coordinate(y, "y")] for x, y in points]
    if kind == MarkKind.STROKE:
        if text is not None:
            raise InvalidRequestError("a stroke has no text: write a note")
        if not 2 <= len(xy) <= MAX_POINTS:
            raise InvalidRequestError(f"a stroke has 2 to {MAX_POINTS} points")
        return {"points": xy, "colour": colour, "width": width}
    note = (text or "").strip()
    if not 1 <= len(note) <= MAX_NOTE:
        raise InvalidRequestError(f"a note has 1 to {MAX_NOTE} characters")
    if len(xy) != 1:
        raise InvalidRequestError("a note is placed at one point")
    return {"points": xy, "text": note, "colour": colour, "width": width}


class Whiteboard(CheapCopy, Aggregate):
    """Who may draw on a session's whiteboard, and how many times it was cleared."""

    class Opened(Aggregate.Created):
        room_id: UUID
        session: int

    class CollaborationSet(Aggregate.Event):
        on: bool
        email: str
        at: datetime

    class Cleared(Aggregate.Event):
        generation: int
        email: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int) -> UUID:
        return Whiteboard.id_for(room_id, session)

    @staticmethod
    def id_for(room_id: UUID, session: int) -> UUID:
        return derived_id("whiteboard", f"{room_id}:{session}")

    @event(Opened)
    def __init__(self, room_id: UUID, session: int) -> None:
        self.room_id, self.session = room_id, session
        self.collaborate = False
        self.generation = 0

    def set_collaborate(self, on: bool, email: str, at: datetime) -> bool:
        """Let attendees draw (on) or only presenters (off); False when nothing changes."""
        if on == self.collaborate:
            return False
        self._collaboration_set(on, email, at)
        return True

    @event(CollaborationSet)
    def _collaboration_set(self, on: bool, email: str, at: datetime) -> None:
        self.collaborate = on

    def may_draw(self, presents: bool) -> bool:
        return presents or self.collaborate

    def clear(self, email: str, at: datetime) -> None:
        """Wipe the board: what was drawn before is no longer shown to anyone."""
        self._cleared(self.generation + 1, email, at)

    @event(Cleared)
    def _cleared(self, generation: int, email: str, at: datetime) -> None:
        self.generation = generation


class Mark(CheapCopy, Aggregate):
    """One stroke or note on a session's whiteboard."""

    class Drawn(Aggregate.Created):
        room_id: UUID
        session: int
        generation: int
        kind: str
        shape: dict[str, Any]
        email: str
        nickname: str
        presenter: bool
        at: datetime

    @event(Drawn)
    def __init__(
        self,
        room_id: UUID,
        session: int,
        generation: int,
        kind: str,
        shape: dict[str, Any],
        email: str,
        nickname: str,
        presenter: bool,
        at: datetime,
    ) -> None:
        self.room_id, self.session, self.generation = room_id, session, generation
        self.kind, self.shape = kind, shape
