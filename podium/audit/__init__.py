"""``podium audit``: replay the log and check everything finance relies on.

Three parts, each in its module: the ledgers (every entry's hash chain, sign and balance, in log
order: ``ledgers``), the billing projection compared with that replay (``ledgers``), and every
snapshotted stream replayed and compared with its stored snapshots (``snapshots``). What they
find goes into one ``AuditReport`` (``report``): the first difference of each ledger and stream
with the count of what follows from it, then a summary per account; ``--json`` for programs.
"""

from __future__ import annotations

import sys
from typing import TextIO

from commands.store import EventStore
from podium.audit.ledgers import LedgerAudit, ProjectionComparison
from podium.audit.report import DEFAULT_LIMIT, AuditReport, Finding
from podium.audit.snapshots import SnapshotAudit
from projections.store import ReadStore

__all__ = ["DEFAULT_LIMIT", "AuditReport", "Finding", "audit"]


def audit(
    store: EventStore,
    read_store: ReadStore,
    progress: TextIO | None = sys.stderr,
    notes: list[Finding] | None = None,
) -> AuditReport:
    """Run the whole audit and return its report; ``notes`` are findings made before it
    (the CLI's, when the read models could not catch up)."""

    def say(message: str) -> None:
        if progress is not None:
            print(message, file=progress, flush=True)

    report = AuditReport(findings=list(notes or []))
    ledgers = LedgerAudit(store.recorder, store.mapper.to_domain_event, report, say)
    ledgers.replay()
    comparison = ProjectionComparison(read_store, ledgers.tallies, report, say)
    if not comparison.behind(ledgers.last_ledger_position):
        comparison.compare()
    streams = [(ledger_id, tally.account_id) for ledger_id, tally in ledgers.tallies.items()]
    streams.extend((account_id, str(account_id)) for account_id in ledgers.accounts)
    SnapshotAudit(store, report, say).check(streams)
    return report
