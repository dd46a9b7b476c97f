"""What ``podium audit`` found: findings, one per first difference, with what followed from it.

One altered entry makes every later balance of its ledger differ; listing each of those would
bury the next alteration. So each finding is a first difference (an entry whose own checks
fail, a snapshot that is not what its events give, an event that cannot be read), and what only
follows from it is counted as its consequences. Nothing is dropped silently: a capped rendering
says how many findings it left out and how to see them all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

DEFAULT_LIMIT = 50  # findings printed by default; --all prints every one


@dataclass
class Finding:
    """One first difference: where it is, what is wrong, how many later differences follow."""

    kind: str  # "ledger", "snapshot", "projection", "event"
    subject: str  # "account <id>", "stream <id>", "notification <n>"
    problem: str
    account_id: str | None = None
    where: str = ""  # "entry 3", "snapshot at version 50"
    consequences: int = 0

    def line(self) -> str:
        where = f" {self.where}" if self.where else ""
        text = f"{self.subject}{where}: {self.problem}"
        if self.consequences:
            text += f" ({self.consequences} later difference(s) follow from it)"
        return text


@dataclass
class AuditReport:
    """The outcome: counts, and every finding."""

    events: int = 0
    ledgers: int = 0
    charged: int = 0
    paid: int = 0
    streams_with_snapshots: int = 0
    snapshots: int = 0
    unsealed_snapshots: int = 0
    findings: list[Finding] = field(default_factory=list)

    def add(self, finding: Finding) -> Finding:
        self.findings.append(finding)
        return finding

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def consequences(self) -> int:
        return sum(finding.consequences for finding in self.findings)

    def by_account(self) -> dict[str, list[Finding]]:
        """The findings that concern an account, by account, in the order found."""
        accounts: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            if finding.account_id is not None:
                accounts[finding.account_id].append(finding)
        return dict(accounts)

    def render(self, limit: int | None = DEFAULT_LIMIT) -> str:
        """The report for people; at most ``limit`` findings (None: all), saying what it left."""
        lines = [
            f"audited {self.events} ledger events in {self.ledgers} ledgers: "
            f"{self.charged / 100:.2f} charged, {self.paid / 100:.2f} paid or added; "
            f"{self.snapshots} snapshot(s) of {self.streams_with_snapshots} stream(s) replayed"
        ]
        if self.unsealed_snapshots:
            lines.append(
                f"note: {self.unsealed_snapshots} snapshot(s) predate sealing; they match their "
                "events, and the write side replays those streams until the next snapshot"
            )
        if self.ok:
            lines.append(
                "OK: every hash chain holds, every snapshot matches its events "
                "and the billing projection matches the log"
            )
            return "\n".join(lines)
        accounts = self.by_account()
        lines.append(
            f"FAILED: {len(self.findings)} finding(s) in {len(accounts)} account(s), "
            f"with {self.consequences} later difference(s) that follow from them"
        )
        shown = self.findings if limit is None else self.findings[:limit]
        lines.extend(f"  - {finding.line()}" for finding in shown)
        left = len(self.findings) - len(shown)
        if left:
            lines.append(
                f"  ... {left} more finding(s) left out; `podium audit --all` lists every one, "
                "`podium audit --json` gives them all to a program"
            )
        summaries = list(accounts.items())
        if summaries:
            lines.append("by account:")
        shown_accounts = summaries if limit is None else summaries[:limit]
        lines.extend(f"  {_summary(account, found)}" for account, found in shown_accounts)
        if len(summaries) > len(shown_accounts):
            lines.append(
                f"  ... {len(summaries) - len(shown_accounts)} more account(s) left out; "
                "`podium audit --all` lists every one"
            )
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        """Everything, uncapped, for programs."""
        return {
            "ok": self.ok,
            "events": self.events,
            "ledgers": self.ledgers,
            "charged": self.charged,
            "paid": self.paid,
            "streams_with_snapshots": self.streams_with_snapshots,
            "snapshots": self.snapshots,
            "unsealed_snapshots": self.unsealed_snapshots,
            "consequences": self.consequences,
            "findings": [asdict(finding) for finding in self.findings],
            "accounts": {
                account: {
                    "findings": len(found),
                    "consequences": sum(f.consequences for f in found),
                    "kinds": sorted({f.kind for f in found}),
                }
                for account, found in self.by_account().items()
            },
        }


def _summary(account_id: str, found: list[Finding]) -> str:
    kinds: dict[str, int] = defaultdict(int)
    for finding in found:
        kinds[finding.kind] += 1
    parts = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    consequences = sum(finding.consequences for finding in found)
    return f"account {account_id}: {parts} finding(s), {consequences} later difference(s)"
