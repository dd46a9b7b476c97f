"""A session's PDF report in one language: asked for, rendered by a worker, stored (0030).

One stream per session and language (id from both), so asking twice for the same report, or
two people asking at once, makes one report: the second request finds the stream (or loses
the race on its first version and is retried onto it). Not in ``domain.live``: the report is
the organiser's, never a room event on anyone's socket.

Status as ClickMeeting's ``generate-pdf`` answers it: NEW (asked for), IN PROGRESS (a worker
took it), FINISHED (stored, with its storage key).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError
from domain.ids import derived_id

REPORT_LANGUAGES = ("en", "pl", "ru", "de", "es")  # ClickMeeting's, in its order
NEW, IN_PROGRESS, FINISHED = "NEW", "IN PROGRESS", "FINISHED"


class LanguageNotOfferedError(InvalidRequestError):
    """Reports have headings in REPORT_LANGUAGES only."""


def check_language(language: str) -> str:
    if language not in REPORT_LANGUAGES:
        offered = ", ".join(REPORT_LANGUAGES)
        raise LanguageNotOfferedError(f"no report in {language!r}: the languages are {offered}")
    return language


class SessionReport(CheapCopy, Aggregate):
    """The PDF report of one session of a room in one language."""

    class Requested(Aggregate.Created):
        room_id: UUID
        session: int
        session_ref: int  # the session's v1 id
        account_id: UUID
        language: str
        at: datetime

    class Started(Aggregate.Event):
        at: datetime

    class Finished(Aggregate.Event):
        key: str  # where the storage port keeps the file
        size: int
        pages: int
        at: datetime

    @staticmethod
    def create_id(
        room_id: UUID, session: int, session_ref: int, account_id: UUID, language: str, at: datetime
    ) -> UUID:
        return SessionReport.id_for(room_id, session, language)

    @staticmethod
    def id_for(room_id: UUID, session: int, language: str) -> UUID:
        return derived_id("session-report", f"{room_id}:{session}:{language}")

    @event(Requested)
    def __init__(
        self,
        room_id: UUID,
        session: int,
        session_ref: int,
        account_id: UUID,
        language: str,
        at: datetime,
    ) -> None:
        self.room_id, self.session, self.session_ref = room_id, session, session_ref
        self.account_id, self.language = account_id, language
        self.status = NEW
        self.key: str | None = None
        self.size = self.pages = 0

    @property
    def progress(self) -> int:
        return 100 if self.status == FINISHED else 0

    def begin(self, at: datetime) -> None:
        """A worker took it (again after a crash: nothing more is recorded)."""
        if self.status == NEW:
            self._started(at)

    @event(Started)
    def _started(self, at: datetime) -> None:
        self.status = IN_PROGRESS

    def finish(self, key: str, size: int, pages: int, at: datetime) -> None:
        """Stored under ``key``; a report finished once stays as it was."""
        if self.status != FINISHED:
            self._finished(key, size, pages, at)

    @event(Finished)
    def _finished(self, key: str, size: int, pages: int, at: datetime) -> None:
        self.status, self.key, self.size, self.pages = FINISHED, key, size, pages
