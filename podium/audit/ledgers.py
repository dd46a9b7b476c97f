"""The ledgers' part of the audit: every entry checked in log order, then the billing projection.

For every ledger, without the read models: each entry's sequence follows the last, its previous
hash is the last entry's hash, its hash is what its fields hash to, its sign suits its kind, and
its balance-after is the previous entry's plus its amount. Each entry is checked against the
entry before it as stored, so an alteration is a finding at the entry altered; the later
balances it throws off (their balance-after no longer the sum of the amounts) are counted as its
consequences, and a second alteration further on is a finding of its own. Then the billing
projection is compared with the replay, one finding per account that differs.

Memory is bounded by the number of accounts, not events: the replay keeps a few numbers and two
running digests per ledger, and both the log and the projection are read in pages. An event
that cannot be decoded or checked is a finding (notification id, topic, error), never a crash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.utils import get_topic

from domain.account import Account
from domain.ledger import CREDITS, DEBITS, NEUTRAL, Ledger, genesis_hash
from podium.audit.report import AuditReport, Finding
from projections.billing_history.projection import BillingHistoryProjection
from projections.store import ReadStore

PAGE = 5000
LEDGER_TOPICS = (get_topic(Ledger.Opened), get_topic(Ledger.EntryRecorded))
ACCOUNT_OPENED = get_topic(Account.Opened)


@dataclass
class LedgerTally:
    """What the replay knows of one ledger."""

    account_id: str
    last_hash: str  # the stored hash of the last entry (the chain's link)
    last_fields_hash: str  # what the last entry's fields hash to (differs if it was forged)
    balance: int = 0  # the sum of the amounts: the true balance
    stored_balance: int = 0  # the last entry's balance-after, as stored
    entries: int = 0
    digest: Any = field(default_factory=hashlib.sha256)
    finding: Finding | None = None  # the latest first difference, to count consequences on

    def fold(self, row: tuple[object, ...]) -> None:
        self.digest.update(repr(row).encode())


def _row(
    sequence: int, kind: str, amount: int, balance_after: int, hash_: str
) -> tuple[object, ...]:
    return (sequence, kind, amount, balance_after, hash_)


def _error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


class LedgerAudit:
    """Replays the ledgers from ``recorder``; notes the Account streams met on the way."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        decode: Callable[[Any], Any],
        report: AuditReport,
        say: Callable[[str], None],
    ) -> None:
        self.recorder = recorder
        self.decode = decode
        self.report = report
        self.say = say
        self.tallies: dict[UUID, LedgerTally] = {}
        self.accounts: list[UUID] = []  # every Account stream, for the snapshot audit
        self.last_ledger_position = 0

    def replay(self) -> None:
        """Check every ledger entry in log order."""
        for notification, event in self._notifications():
            if isinstance(event, Account.Opened):
                self.accounts.append(event.originator_id)
                continue
            self.last_ledger_position = notification.id
            try:
                self._apply(event)
            except Exception as error:  # an event altered out of shape: report, go on
                self.report.add(
                    Finding(
                        "event",
                        f"notification {notification.id}",
                        f"cannot be checked ({notification.topic}): {_error(error)}",
                        account_id=self._account_of(event),
                    )
                )
        self.report.ledgers = len(self.tallies)

    def _notifications(self) -> Iterator[tuple[Any, Any]]:
        head = self.recorder.max_notification_id() or 0
        position = 0
        while position < head:
            page = self.recorder.select_notifications(
                position,
                PAGE,
                stop=head,
                topics=(*LEDGER_TOPICS, ACCOUNT_OPENED),
                inclusive_of_start=False,
            )
            if not page:
                break
            for notification in page:
                try:
                    event = self.decode(notification)
                except Exception as error:  # undecodable: named, and the audit goes on
                    self.report.add(
                        Finding(
                            "event",
                            f"notification {notification.id}",
                            f"cannot be decoded ({notification.topic}, stream "
                            f"{notification.originator_id} version "
                            f"{notification.originator_version}): {_error(error)}",
                            account_id=self._account_of(notification),
                        )
                    )
                    continue
                yield notification, event
            position = page[-1].id
            self.say(f"replayed the log up to notification {position} of {head}")

    def _account_of(self, record: Any) -> str | None:
        """The account whose ledger ``record`` (an event or a notification) belongs to."""
        tally = self.tallies.get(getattr(record, "originator_id", None))  # type: ignore[arg-type]
        return tally.account_id if tally else None

    def _apply(self, event: Any) -> None:
        if isinstance(event, Ledger.Opened):
            genesis = genesis_hash(event.account_id)
            self.tallies[event.originator_id] = LedgerTally(str(event.account_id), genesis, genesis)
            return
        self.report.events += 1
        tally = self.tallies.get(event.originator_id)
        if tally is None:
            self.report.add(
                Finding(
                    "ledger",
                    f"ledger {event.originator_id}",
                    "an entry recorded before the ledger opened",
                    where=f"entry {event.sequence}",
                )
            )
            return
        self._check_entry(tally, event)

    def _check_entry(self, tally: LedgerTally, event: Any) -> None:
        problems: list[str] = []
        if event.sequence != tally.entries + 1:
            problems.append(f"follows entry {tally.entries}")
        linked_to_forgery = False
        if event.previous_hash != tally.last_hash:
            # An entry whose stored hash was replaced is reported at that entry; the next one,
            # still linked to what its fields hash to, is a consequence, not a second break.
            linked_to_forgery = event.previous_hash == tally.last_fields_hash
            if not linked_to_forgery:
                problems.append("previous hash does not match the entry before (chain broken)")
        fields_hash = event.recomputed_hash()
        if fields_hash != event.hash:
            problems.append("its stored fields do not hash to its stored hash (altered)")
        if (
            (event.kind in DEBITS and event.amount > 0)
            or (event.kind in CREDITS and event.amount < 0)
            or (event.kind in NEUTRAL and event.amount != 0)
        ):
            problems.append(f"a {event.kind} of {event.amount} has the wrong sign")
        if event.balance_after != tally.stored_balance + event.amount:
            problems.append(
                f"balance after is {event.balance_after}, the entry before's "
                f"{tally.stored_balance} plus its amount {event.amount} gives "
                f"{tally.stored_balance + event.amount}"
            )
        tally.balance += event.amount
        if problems:
            tally.finding = self.report.add(
                Finding(
                    "ledger",
                    f"account {tally.account_id}",
                    "; ".join(problems),
                    account_id=tally.account_id,
                    where=f"entry {event.sequence}",
                )
            )
        elif tally.finding is not None and (
            linked_to_forgery or event.balance_after != tally.balance
        ):
            tally.finding.consequences += 1  # sound on its own, wrong because of an earlier one
        tally.entries = event.sequence
        tally.last_hash = event.hash
        tally.last_fields_hash = fields_hash
        tally.stored_balance = event.balance_after
        if event.amount < 0:
            self.report.charged -= event.amount
        else:
            self.report.paid += event.amount
        tally.fold(_row(event.sequence, event.kind, event.amount, tally.balance, event.hash))


class ProjectionComparison:
    """Compares the billing projection with the ledgers as replayed."""

    def __init__(
        self,
        read_store: ReadStore,
        tallies: dict[UUID, LedgerTally],
        report: AuditReport,
        say: Callable[[str], None],
    ) -> None:
        self.read_store = read_store
        self.by_account = {tally.account_id: tally for tally in tallies.values()}
        self.report = report
        self.say = say

    def behind(self, last_ledger_position: int) -> bool:
        """Whether the projection has not reached the log's last ledger event (then it is
        reported once, instead of as a difference in every account)."""
        name = BillingHistoryProjection.name
        rows = self.read_store.query(
            "SELECT position FROM projection_positions WHERE name = %s", (name,)
        )
        position = int(rows[0]["position"]) if rows else 0
        if position >= last_ledger_position:
            return False
        self.report.add(
            Finding(
                "projection",
                f"projection {name}",
                f"stops at notification {position}, before the log's last ledger event "
                f"{last_ledger_position}; it was not compared (see `podium project` and /health)",
            )
        )
        return True

    def compare(self) -> None:
        projected = {
            row["account_id"]: row
            for row in self.read_store.query(
                "SELECT account_id, balance, entries, last_hash FROM billing_ledgers"
            )
        }
        for account_id in sorted(set(self.by_account) - set(projected)):
            self._differ(account_id, "in the log, missing from the billing projection")
        for account_id in sorted(set(projected) - set(self.by_account)):
            self._differ(account_id, "in the billing projection, not in the log")
        digests: dict[str, Any] = {}
        for row in self._projected_entries():
            digest = digests.setdefault(row["account_id"], hashlib.sha256())
            entry = (row["sequence"], row["kind"], row["amount"], row["balance_after"])
            digest.update(repr(_row(*entry, row["hash"])).encode())
        for account_id, tally in sorted(self.by_account.items()):
            summary = projected.get(account_id)
            if summary is None:
                continue
            problems = [
                f"{name} is {summary[name]}, the log gives {replayed}"
                for name, replayed in (
                    ("balance", tally.balance),
                    ("entries", tally.entries),
                    ("last_hash", tally.last_hash),
                )
                if summary[name] != replayed
            ]
            if digests.get(account_id, hashlib.sha256()).hexdigest() != tally.digest.hexdigest():
                problems.append("projected entries differ from the log's")
            if problems:
                self._differ(account_id, "; ".join(problems))

    def _differ(self, account_id: str, problem: str) -> None:
        self.report.add(
            Finding(
                "projection",
                f"account {account_id}",
                f"billing projection: {problem}",
                account_id=account_id,
            )
        )

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
            self.say(f"compared the billing projection up to account {last[0]}")
