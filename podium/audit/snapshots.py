"""The snapshots' part of the audit: every snapshotted stream replayed from its events.

Each stored snapshot must equal the stream's state replayed from its events at the snapshot's
version, and must pass the write side's own check (its seal; for a ledger, the entry at its
version). A snapshot that differs is a finding naming the fields that differ; a stream or a
snapshot that cannot be read is a finding too, and the audit goes on with the next stream.
One stream is in memory at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from commands.snapshots import UNSEALED
from commands.store import EventStore, replay
from podium.audit.report import AuditReport, Finding

MAX_FIELDS = 3  # differing fields named per snapshot
MAX_VALUE = 80  # characters of a value shown


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 3] + "..."


def state_differences(snapshot_state: dict[str, Any], replayed: dict[str, Any]) -> list[str]:
    """The fields in which a snapshot's aggregate and the replayed one differ, described."""
    names = sorted((set(snapshot_state) | set(replayed)) - {"_pending_events"})
    missing = object()
    differences = []
    for name in names:
        claimed, actual = snapshot_state.get(name, missing), replayed.get(name, missing)
        if claimed != actual:
            claimed_text = "absent" if claimed is missing else _shown(claimed)
            actual_text = "absent" if actual is missing else _shown(actual)
            differences.append(f"{name} is {claimed_text}, its events give {actual_text}")
    return differences


class SnapshotAudit:
    """Replays each stream that has snapshots and compares every snapshot with the replay."""

    def __init__(self, store: EventStore, report: AuditReport, say: Callable[[str], None]):
        self.store = store
        self.report = report
        self.say = say

    def check(self, streams: Iterable[tuple[UUID, str]]) -> None:
        """Check the snapshots of ``streams``: (stream id, the account it belongs to) pairs."""
        for count, (stream_id, account_id) in enumerate(streams, start=1):
            try:
                self._check_stream(stream_id, account_id)
            except Exception as error:  # one unreadable stream must not hide the others
                self._find(
                    stream_id,
                    account_id,
                    "",
                    f"cannot be replayed: {type(error).__name__}: {error}",
                )
            if count % 1000 == 0:
                self.say(f"checked the snapshots of {count} streams")

    def _check_stream(self, stream_id: UUID, account_id: str) -> None:
        snapshots = self.store.snapshots
        if snapshots is None:
            return
        stored = snapshots.recorder.select_events(stream_id)
        if not stored:
            return
        self.report.streams_with_snapshots += 1
        pending: list[tuple[int, Any]] = []  # (version, snapshot), in version order
        for record in stored:
            self.report.snapshots += 1
            try:
                pending.append(
                    (record.originator_version, snapshots.mapper.to_domain_event(record))
                )
            except Exception as error:
                self._find(
                    stream_id,
                    account_id,
                    f"snapshot at version {record.originator_version}",
                    f"cannot be decoded: {type(error).__name__}: {error}",
                )
        aggregate: Any = None
        for record in self.store.recorder.select_events(stream_id):
            if not pending:
                break
            try:
                aggregate = replay(aggregate, [self.store.mapper.to_domain_event(record)])
            except Exception as error:
                self._find(
                    stream_id,
                    account_id,
                    f"event at version {record.originator_version}",
                    f"cannot be replayed, so its snapshots cannot be checked: "
                    f"{type(error).__name__}: {error}",
                )
                return
            while pending and pending[0][0] == record.originator_version:
                self._compare(stream_id, account_id, pending.pop(0)[1], aggregate)
        for version, _ in pending:
            self._find(
                stream_id,
                account_id,
                f"snapshot at version {version}",
                "claims a version the stream's events never reach",
            )

    def _compare(self, stream_id: UUID, account_id: str, snapshot: Any, aggregate: Any) -> None:
        where = f"snapshot at version {snapshot.originator_version}"
        guard = self.store.snapshot_guard
        try:
            refusal = guard.problem(snapshot) if guard is not None else None
        except Exception as error:  # as the write side does: refused, and the audit goes on
            refusal = f"it could not be checked: {type(error).__name__}: {error}"
        if refusal == UNSEALED:
            self.report.unsealed_snapshots += 1
            refusal = None
        try:
            claimed = vars(snapshot.mutate(None))
        except Exception as error:
            self._find(stream_id, account_id, where, f"cannot be loaded: {error!r}")
            return
        differences = state_differences(claimed, vars(aggregate))
        if not differences and refusal is None:
            return
        problems = []
        if differences:
            shown = differences[:MAX_FIELDS]
            more = len(differences) - len(shown)
            problems.append(
                "differs from its events: "
                + "; ".join(shown)
                + (f"; and {more} more field(s)" if more else "")
            )
        if refusal is not None:
            problems.append(f"the write side refuses it ({refusal}) and replays the events")
        elif differences:
            problems.append("the write side would build on it")
        self._find(stream_id, account_id, where, "; ".join(problems))

    def _find(self, stream_id: UUID, account_id: str, where: str, problem: str) -> None:
        kind = "ledger" if str(stream_id) != account_id else "account"
        self.report.add(
            Finding(
                "snapshot",
                f"account {account_id} ({kind} stream {stream_id})",
                problem,
                account_id=account_id,
                where=where,
            )
        )
