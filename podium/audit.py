"""``podium audit``: replay the ledgers from the event log and check everything finance relies on.

For every ledger, in log order and without the read models: each entry's sequence follows the
last, its previous hash is the last entry's hash, its hash is what its fields hash to, its sign
suits its kind, and its balance-after is the running sum. Then the billing projection is compared
with the replay, account by account (balance, entry count, last hash, and a digest of every row).

Memory is bounded by the number of accounts, not events: the replay keeps a few numbers and two
running digests per ledger, and both the log and the projection are read in pages.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.utils import get_topic

from domain.ledger import CREDITS, DEBITS, NEUTRAL, Ledger, genesis_hash
from projections.projector import Decoder
from projections.store import ReadStore

PAGE = 5000
MAX_REPORTED = 200


@dataclass
class LedgerTally:
    """What the replay knows of one ledger."""

    account_id: str
    last_hash: str
    balance: int = 0
    entries: int = 0
    charged: int = 0
    paid: int = 0
    digest: Any = field(default_factory=hashlib.sha256)

    def fold(self, row: tuple[object, ...]) -> None:
        self.digest.update(repr(row).encode())


@dataclass
class AuditReport:
    """The outcome: counts, and every difference found (the first MAX_REPORTED in full)."""

    events: int = 0
    ledgers: int = 0
    differences: list[str] = field(default_factory=list)
    difference_count: int = 0
    charged: int = 0
    paid: int = 0

    def differ(self, message: str) -> None:
        self.difference_count += 1
        if len(self.differences) < MAX_REPORTED:
            self.differences.append(message)

    @property
    def ok(self) -> bool:
        return self.difference_count == 0

    def render(self) -> str:
        lines = [
            f"audited {self.events} ledger events in {self.ledgers} ledgers: "
            f"{self.charged / 100:.2f} charged, {self.paid / 100:.2f} paid or added",
        ]
        if self.ok:
            lines.append("OK: every hash chain holds and the billing projection matches the log")
        else:
            lines.append(f"FAILED: {self.difference_count} difference(s)")
            lines.extend(f"  - {message}" for message in self.differences)
            if self.difference_count > len(self.differences):
                lines.append(f"  ... and {self.difference_count - len(self.differences)} more")
        return "\n".join(lines)


def _row(
    sequence: int, kind: str, amount: int, balance_after: int, hash_: str
) -> tuple[object, ...]:
    return (sequence, kind, amount, balance_after, hash_)


class Auditor:
    """Replays ledgers from ``recorder`` and compares them with the billing read model."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        decode: Decoder,
        read_store: ReadStore,
        progress: TextIO | None = sys.stderr,
    ) -> None:
        self.recorder = recorder
        self.decode = decode
        self.read_store = read_store
        self.progress = progress

    def run(self) -> AuditReport:
        report = AuditReport()
        tallies = self._replay(report)
        report.ledgers = len(tallies)
        self._compare(tallies, report)
        return report

    def _notifications(self) -> Iterator[Any]:
        topics = (get_topic(Ledger.Opened), get_topic(Ledger.EntryRecorded))
        head = self.recorder.max_notification_id() or 0
        position = 0
        while position < head:
            page = self.recorder.select_notifications(
                position, PAGE, stop=head, topics=topics, inclusive_of_start=False
            )
            if not page:
                break
            for notification in page:
                yield self.decode(notification)
            position = page[-1].id
            self._say(f"replayed the log up to notification {position} of {head}")

    def _replay(self, report: AuditReport) -> dict[str, LedgerTally]:
        tallies: dict[str, LedgerTally] = {}
        for event in self._notifications():
            ledger_id = str(event.originator_id)
            if isinstance(event, Ledger.Opened):
                tallies[ledger_id] = LedgerTally(
                    str(event.account_id), genesis_hash(event.account_id)
                )
                continue
            report.events += 1
            tally = tallies.get(ledger_id)
            if tally is None:
                report.differ(
                    f"ledger {ledger_id}: entry {event.sequence} before the ledger opened"
                )
                continue
            self._check_entry(tally, event, report)
        return tallies

    def _check_entry(self, tally: LedgerTally, event: Any, report: AuditReport) -> None:
        where = f"account {tally.account_id} entry {event.sequence}"
        if event.sequence != tally.entries + 1:
            report.differ(f"{where}: follows entry {tally.entries}")
        if event.previous_hash != tally.last_hash:
            report.differ(f"{where}: previous hash does not match the entry before (chain broken)")
        if event.recomputed_hash() != event.hash:
            report.differ(f"{where}: stored fields do not hash to the stored hash (altered)")
        if (
            (event.kind in DEBITS and event.amount > 0)
            or (event.kind in CREDITS and event.amount < 0)
            or (event.kind in NEUTRAL and event.amount != 0)
        ):
            report.differ(f"{where}: a {event.kind} of {event.amount} has the wrong sign")
        if event.balance_after != tally.balance + event.amount:
            report.differ(
                f"{where}: balance after is {event.balance_after}, "
                f"replay gives {tally.balance + event.amount}"
            )
        tally.balance += event.amount
        tally.entries = event.sequence
        tally.last_hash = event.hash
        if event.amount < 0:
            tally.charged -= event.amount
            report.charged -= event.amount
        else:
            tally.paid += event.amount
            report.paid += event.amount
        tally.fold(_row(event.sequence, event.kind, event.amount, tally.balance, event.hash))

    def _compare(self, tallies: dict[str, LedgerTally], report: AuditReport) -> None:
        by_account = {tally.account_id: tally for tally in tallies.values()}
        projected = {
            row["account_id"]: row
            for row in self.read_store.query(
                "SELECT account_id, balance, entries, last_hash FROM billing_ledgers"
            )
        }
        for account_id in sorted(set(by_account) - set(projected)):
            report.differ(f"account {account_id}: in the log, missing from the billing projection")
        for account_id in sorted(set(projected) - set(by_account)):
            report.differ(f"account {account_id}: in the billing projection, not in the log")
        digests: dict[str, Any] = {}
        for row in self._projected_entries():
            digest = digests.setdefault(row["account_id"], hashlib.sha256())
            digest.update(
                repr(
                    _row(
                        row["sequence"],
                        row["kind"],
                        row["amount"],
                        row["balance_after"],
                        row["hash"],
                    )
                ).encode()
            )
        for account_id, tally in sorted(by_account.items()):
            summary = projected.get(account_id)
            if summary is None:
                continue
            for name, replayed in (
                ("balance", tally.balance),
                ("entries", tally.entries),
                ("last_hash", tally.last_hash),
            ):
                if summary[name] != replayed:
                    report.differ(
                        f"account {account_id}: projection {name} is {summary[name]}, "
                        f"log gives {replayed}"
                    )
            projected_digest = digests.get(account_id, hashlib.sha256()).hexdigest()
            if projected_digest != tally.digest.hexdigest():
                report.differ(f"account {account_id}: projected entries differ from the log's")

    def _projected_entries(self) -> Iterator[dict[str, Any]]:
        """Every projected entry in (account, sequence) order, a page at a time."""
        last: tuple[str, int] = ("", 0)
        while True:
            page = self.read_store.query(
                "SELECT account_id, sequence, kind, amount, balance_after, hash "
                "FROM billing_entries WHERE account_id > %s OR (account_id = %s AND sequence > %s) "
                "ORDER BY account_id, sequence LIMIT %s",
                (last[0], last[0], last[1], PAGE),
            )
            if not page:
                return
            yield from page
            last = (page[-1]["account_id"], page[-1]["sequence"])
            self._say(f"compared the billing projection up to account {last[0]}")

    def _say(self, message: str) -> None:
        if self.progress is not None:
            print(message, file=self.progress, flush=True)


def audit(
    recorder: ApplicationRecorder,
    decode: Callable[[Any], Any],
    read_store: ReadStore,
    progress: TextIO | None = sys.stderr,
) -> AuditReport:
    """Run the whole audit and return its report."""
    return Auditor(recorder, decode, read_store, progress).run()
