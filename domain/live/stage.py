"""What a session shows on its stage: the presentation and page, the shared video and where it is.

``Stage`` (id from room + session) is written at presenter speed. Each change says the whole
state of what it changes (the file and the page; the video, its position and whether it plays,
at a moment), so a late joiner needs only the last of each to see what everyone sees: a
playing video's position now is its position then plus the time since.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, RuleViolationError
from domain.ids import derived_id

VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")  # a YouTube video id: 11 URL-safe characters
MAX_PAGE = 10_000
MAX_POSITION_MS = 24 * 3600 * 1000
MAX_FILE = 200


class Stage(CheapCopy, Aggregate):
    """The presentation and the video a session's presenters share."""

    class Opened(Aggregate.Created):
        room_id: UUID
        session: int

    class PresentationShown(Aggregate.Event):
        file_id: str
        name: str
        page: int
        email: str
        at: datetime

    class PresentationStopped(Aggregate.Event):
        email: str
        at: datetime

    class VideoShown(Aggregate.Event):
        video_id: str
        position_ms: int
        playing: bool
        email: str
        at: datetime

    class VideoStopped(Aggregate.Event):
        email: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int) -> UUID:
        return Stage.id_for(room_id, session)

    @staticmethod
    def id_for(room_id: UUID, session: int) -> UUID:
        return derived_id("stage", f"{room_id}:{session}")

    @event(Opened)
    def __init__(self, room_id: UUID, session: int) -> None:
        self.room_id, self.session = room_id, session
        self.presentation: dict[str, Any] | None = None  # file_id, name, page
        self.video: dict[str, Any] | None = None  # video_id, position_ms, playing

    def show_presentation(
        self, file_id: str, name: str, page: int, email: str, at: datetime
    ) -> bool:
        """Show a file at a page (a page turn is the same file at another page)."""
        file_id, name = file_id.strip(), name.strip()
        if not 1 <= len(file_id) <= MAX_FILE or not 1 <= len(name) <= MAX_FILE:
            raise InvalidRequestError(f"a file's id and name have 1 to {MAX_FILE} characters")
        if not 1 <= page <= MAX_PAGE:
            raise InvalidRequestError(f"page must be 1 to {MAX_PAGE}")
        if self.presentation == {"file_id": file_id, "name": name, "page": page}:
            return False
        self._presentation_shown(file_id, name, page, email, at)
        return True

    @event(PresentationShown)
    def _presentation_shown(
        self, file_id: str, name: str, page: int, email: str, at: datetime
    ) -> None:
        self.presentation = {"file_id": file_id, "name": name, "page": page}

    def stop_presentation(self, email: str, at: datetime) -> bool:
        if self.presentation is None:
            return False
        self._presentation_stopped(email, at)
        return True

    @event(PresentationStopped)
    def _presentation_stopped(self, email: str, at: datetime) -> None:
        self.presentation = None

    def show_video(
        self, video_id: str | None, position_ms: int, playing: bool, email: str, at: datetime
    ) -> None:
        """Share a video, or (no ``video_id``) play, pause or seek the one shared: each says
        where the video is at ``at`` and whether it plays on from there."""
        if video_id is None:
            if self.video is None:
                raise RuleViolationError("no video is shared: share one first")
            video_id = str(self.video["video_id"])
        if not VIDEO_ID.fullmatch(video_id):
            raise InvalidRequestError("video_id must be a YouTube video id (11 characters)")
        if not 0 <= position_ms <= MAX_POSITION_MS:
            raise InvalidRequestError("position must be 0 to 24 hours, in seconds")
        self._video_shown(video_id, position_ms, playing, email, at)

    @event(VideoShown)
    def _video_shown(
        self, video_id: str, position_ms: int, playing: bool, email: str, at: datetime
    ) -> None:
        self.video = {"video_id": video_id, "position_ms": position_ms, "playing": playing}

    def stop_video(self, email: str, at: datetime) -> bool:
        if self.video is None:
            return False
        self._video_stopped(email, at)
        return True

    @event(VideoStopped)
    def _video_stopped(self, email: str, at: datetime) -> None:
        self.video = None
