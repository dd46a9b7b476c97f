"""Snapshots the write side can trust: sealed when taken, checked before a command builds on one.

A snapshot is a shortcut: the state an aggregate had at a version, so its earlier events need
not be replayed. Nothing ties a stored snapshot to the events it claims to summarise, so one
altered row (a balance raised in a Ledger's snapshot) would be built on by the next command and
made permanent. Two checks, one per kind of stream (docs/decisions/0009-verified-snapshots.md):

- A Ledger's state is exactly what the entry at the snapshot's version says (sequence, balance
  after, hash), so its snapshot is checked against that one stored entry, whose own hash is
  recomputed: one event read, and no secret involved.
- Any other aggregate (an Account has no hash chain) is sealed: an HMAC of its snapshot, keyed
  by the server secret, stored in the snapshot. A snapshot from before sealing has no seal and
  is not trusted: the aggregate is replayed from its events until the next snapshot.

A snapshot that fails its check is ignored (the aggregate is replayed from its events), logged
at error level and kept in ``SnapshotGuard.faults`` for the health check to show.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import Any, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Snapshot
from eventsourcing.persistence import EventStore as LibraryEventStore
from eventsourcing.persistence import Transcoder
from eventsourcing.utils import get_topic

from domain.ledger import Ledger, genesis_hash

log = logging.getLogger(__name__)

LEDGER_TOPIC = get_topic(Ledger)
# The whole state of a Ledger: what the check below rebuilds from one entry. A Ledger that
# gains an attribute must teach ``_ledger_problem`` about it (its snapshots are refused until
# then, which is safe: the ledger is replayed).
# (``_created_on`` is the library's record of when the ledger opened: metadata no decision
# reads, left to the audit's full replay; ``_modified_on`` is the entry's own timestamp.)
LEDGER_STATE = frozenset(
    {"account_id", "currency", "balance", "entries", "last_hash", "_created_on", "_modified_on"}
)
UNSEALED = "unsealed"  # a snapshot from before sealing: not an error, just not trusted
MAX_FAULTS = 100


@dataclass(frozen=True)
class SealedSnapshot(Snapshot):
    """A snapshot with an HMAC over its aggregate id, version, topic and state.

    Its topic is stored with every snapshot: the class stays at this name, or keeps an alias.
    """

    seal: str


@dataclass(frozen=True)
class SnapshotFault:
    """A stored snapshot that failed its check, and why."""

    aggregate_id: UUID
    version: int
    topic: str
    reason: str


def _sorted(value: Any) -> Any:
    """The value with every dict's keys in order, so equal states encode to equal bytes."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [_sorted(item) for item in value]
    return value


class Sealer:
    """Seals snapshots with a key derived from the server secret, and checks seals."""

    def __init__(self, secret: str, transcoder: Transcoder) -> None:
        # A key of its own, so a seal never doubles as a room token made from the same secret.
        self._key = hmac.new(secret.encode(), b"podium-snapshot-seal", hashlib.sha256).digest()
        self._transcoder = transcoder

    def seal(self, snapshot: Snapshot) -> str:
        """The HMAC of what ``snapshot`` claims, over the transcoder's bytes of it."""
        claim = {
            "id": str(snapshot.originator_id),
            "version": snapshot.originator_version,
            "topic": snapshot.topic,
            "state": _sorted(snapshot.state),
        }
        return hmac.new(self._key, self._transcoder.encode(claim), hashlib.sha256).hexdigest()

    def take(self, aggregate: Any) -> SealedSnapshot:
        """A sealed snapshot of ``aggregate`` as it is now."""
        plain = Snapshot.take(aggregate)
        return SealedSnapshot(
            originator_id=plain.originator_id,
            originator_version=plain.originator_version,
            timestamp=plain.timestamp,
            topic=plain.topic,
            state=plain.state,
            seal=self.seal(plain),
        )

    def seal_problem(self, snapshot: Snapshot) -> str | None:
        """Why the seal does not vouch for ``snapshot`` (UNSEALED if it has none), or None."""
        if not isinstance(snapshot, SealedSnapshot):
            return UNSEALED
        if not hmac.compare_digest(self.seal(snapshot), str(snapshot.seal)):
            return "its seal does not match its state (altered, or sealed with another secret)"
        return None


def ledger_problem(snapshot: Snapshot, entry: Any) -> str | None:
    """Why a Ledger snapshot does not match ``entry``, the event at its version, or None."""
    state = dict(snapshot.state)
    state.pop("class_version", None)
    if set(state) != LEDGER_STATE:
        return f"its state has fields {sorted(state)}, a ledger's are {sorted(LEDGER_STATE)}"
    account_id = state["account_id"]
    if not isinstance(account_id, UUID) or Ledger.id_for(account_id) != snapshot.originator_id:
        return "its account is not the one this ledger belongs to"
    expected: tuple[Any, ...]
    if isinstance(entry, Ledger.Opened):
        expected = (entry.currency, 0, 0, genesis_hash(account_id))
    elif isinstance(entry, Ledger.EntryRecorded):
        if entry.recomputed_hash() != entry.hash:
            return f"the entry at version {snapshot.originator_version} is itself altered"
        expected = (entry.currency, entry.balance_after, entry.sequence, entry.hash)
    else:
        return f"the event at its version is a {type(entry).__name__}, not a ledger event"
    expected += (entry.timestamp,)
    claimed: tuple[Any, ...] = (
        state["currency"],
        state["balance"],
        state["entries"],
        state["last_hash"],
        state["_modified_on"],
    )
    if claimed != expected:
        return (
            f"it claims currency, balance, entries, last hash, time {claimed}, "
            f"the entry at its version says {expected}"
        )
    return None


class SnapshotGuard:
    """Checks a snapshot before it is used, and remembers those it refused."""

    def __init__(self, sealer: Sealer, events: LibraryEventStore[UUID]) -> None:
        self.sealer = sealer
        self.events = events
        self.faults: deque[SnapshotFault] = deque(maxlen=MAX_FAULTS)
        self.fault_count = 0
        self._lock = threading.Lock()

    def problem(self, snapshot: Snapshot) -> str | None:
        """Why ``snapshot`` cannot be trusted (UNSEALED for an old unsealed one), or None."""
        sealed = self.sealer.seal_problem(snapshot)
        if sealed is not None and sealed != UNSEALED:
            return sealed
        if snapshot.topic == LEDGER_TOPIC:
            version = snapshot.originator_version
            at = list(self.events.get(snapshot.originator_id, gt=version - 1, lte=version))
            if not at:
                return f"no event is stored at its version {version}"
            return ledger_problem(snapshot, at[0])
        return sealed

    def accept(self, snapshot: Snapshot) -> bool:
        """Whether to build on ``snapshot``; a refused one is logged and kept as a fault."""
        try:
            problem = self.problem(snapshot)
        except Exception as error:  # a snapshot too mangled to check is refused, not fatal
            problem = f"it could not be checked: {type(error).__name__}: {error}"
        if problem is None:
            return True
        if problem == UNSEALED:
            log.debug("snapshot of %s has no seal; replaying", snapshot.originator_id)
            return False
        fault = SnapshotFault(
            snapshot.originator_id, snapshot.originator_version, snapshot.topic, problem
        )
        with self._lock:
            self.faults.append(fault)
            self.fault_count += 1
        log.error(
            "snapshot refused: %s %s at version %d: %s; replaying its events instead",
            snapshot.topic,
            snapshot.originator_id,
            snapshot.originator_version,
            problem,
        )
        return False


class GuardedRepository(Repository[UUID]):
    """The library's repository, building on a snapshot only once ``guard`` accepts it."""

    guard: SnapshotGuard | None = None

    def _reconstruct_aggregate(
        self,
        aggregate_id: UUID,
        version: int | None,
        projector_func: Callable[[Any, Iterable[Any]], Any],
    ) -> Any:
        # The library's method, step by step, with the check between reading the snapshot
        # and reading the events after it.
        snapshots: list[Any] = []
        if self.snapshot_store is not None:
            snapshots = list(self.snapshot_store.get(aggregate_id, desc=True, limit=1, lte=version))
            if snapshots and self.guard is not None and not self.guard.accept(snapshots[0]):
                snapshots = []
        gt = snapshots[0].originator_version if snapshots else None
        events = self.event_store.get(aggregate_id, gt=gt, lte=version)
        aggregate = projector_func(None, chain(snapshots, cast(Iterable[Any], events)))
        if aggregate is None:
            raise AggregateNotFoundError(
                f"Aggregate {aggregate_id!r} version {version!r} not found."
            )
        return aggregate
