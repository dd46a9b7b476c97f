"""Session PDF reports: asked for by a request, made by a worker (decision 0030).

``request`` records that a report is wanted (once per session and language: asking again
answers the report's status and appends nothing); the ``render_session_report`` policy
(``workers/report_policies.py``) calls ``begin`` and ``finish`` under keys derived from the
request, so a replayed or raced worker records nothing twice. ``state`` and ``states`` read
the reports' own streams, so the status a client polls never lags the worker.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.store import EventStore
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.session_report import REPORT_LANGUAGES, SessionReport, check_language


def report_state(report: SessionReport | None) -> dict[str, Any] | None:
    """A report's status as the worker left it; None if nobody asked for it."""
    if report is None:
        return None
    return {
        "report_id": str(report.id),
        "language": report.language,
        "status": report.status,
        "progress": report.progress,
        "key": report.key,
        "size": report.size,
        "pages": report.pages,
    }


class SessionReports:
    """Ask for a session's report, follow it, and the worker's two steps."""

    def __init__(self, runner: CommandRunner, store: EventStore) -> None:
        self.runner, self.store = runner, store

    def request(
        self, account_id: UUID, room_id: UUID, session: int, session_ref: int, language: str
    ) -> Result:
        """The report of session ``session`` in ``language``: asked for now, or as it is."""
        check_language(language)

        def command(unit: UnitOfWork) -> Result:
            report_id = SessionReport.id_for(room_id, session, language)
            report = unit.find(SessionReport, report_id)
            if report is None:
                report = unit.add(
                    SessionReport(room_id, session, session_ref, account_id, language, unit.now)
                )
            return Result(Outcome.DONE, report_state(report) or {})

        return self.runner.run(command)

    def begin(self, report_id: UUID, idem: Idempotency) -> Result:
        def command(unit: UnitOfWork) -> Result:
            report = unit.get(SessionReport, report_id, "report")
            report.begin(unit.now)
            return Result(Outcome.DONE, report_state(report) or {})

        return self.runner.run(command, idem)

    def finish(self, report_id: UUID, key: str, size: int, pages: int, idem: Idempotency) -> Result:
        def command(unit: UnitOfWork) -> Result:
            report = unit.get(SessionReport, report_id, "report")
            report.finish(key, size, pages, unit.now)
            return Result(Outcome.DONE, report_state(report) or {})

        return self.runner.run(command, idem)

    def state(self, room_id: UUID, session: int, language: str) -> dict[str, Any] | None:
        """The report's status read from its stream; None when it was never asked for."""
        report_id = SessionReport.id_for(room_id, session, check_language(language))
        if not self.store.has_events(report_id):
            return None
        report = self.store.load(report_id)
        assert isinstance(report, SessionReport)
        return report_state(report)

    def states(self, room_id: UUID, session: int) -> dict[str, dict[str, Any] | None]:
        """Every language's report of the session (None: not asked for)."""
        return {lang: self.state(room_id, session, lang) for lang in REPORT_LANGUAGES}
