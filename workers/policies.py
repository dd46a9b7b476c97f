"""The policy runner: reactions on the write side, following the log (decision 0013).

A policy reads some event topics and reacts by issuing commands, each under an ``Idempotency``
whose key names the causing event (``policy:<name>`` scope, ``<originator id>:<version>`` key,
see ``caused_by``). The idempotency record is saved with what the command appends, in one
transaction, so a command runs exactly once per causing event however often the event is seen:
a crash before the position moved, a rewound position, two runners racing.

Each policy's position (the last notification it has reacted to) lives in ``policy_positions``
of the read store and only saves work; it moves forward only (a racing runner never moves it
back). A policy that raises on an event is stopped there alone, like a projection at a poison
event: the failure is recorded beside its position and shown by ``/health``, the other policies
go on, and ``resume`` lets it try again after a fix. An unreachable store, a command that kept
colliding, or a read model not there yet (``NotReadyError``) is not the event's fault: the
policy stops for this round and tries the same event again on the next.

A policy may also say when its reaction is due (``due``, see ``workers.policy_timers``): the
runner then holds the event until the injected clock reaches that instant.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from eventsourcing.persistence import ApplicationRecorder, Notification

from commands.errors import ConflictError
from commands.unit_of_work import Idempotency
from projections.positions import PositionTable, ProjectionFailure, ProjectionState
from projections.projector import TRANSIENT_ERRORS, Decoder
from projections.store import ReadStore
from workers.policy_timers import TimerTable

log = logging.getLogger(__name__)


class NotReadyError(RuntimeError):
    """What a policy needs to react is not there yet (a read model behind): try again later."""


RETRY_LATER: tuple[type[BaseException], ...] = (*TRANSIENT_ERRORS, ConflictError, NotReadyError)


class Policy(Protocol):
    """Reacts to events of ``topics`` by issuing commands under ``caused_by`` keys."""

    name: str
    topics: tuple[str, ...]

    def react(self, event: Any, notification: Notification) -> None: ...


class TimedPolicy(Policy, Protocol):
    """A policy whose reaction to an event is due at an instant (None: at once)."""

    def due(self, event: Any) -> datetime | None: ...


def due_of(policy: Policy, event: Any) -> datetime | None:
    due = getattr(policy, "due", None)
    return due(event) if due is not None else None


def caused_by(policy: str, notification: Notification, part: str = "") -> Idempotency:
    """The key of the command ``policy`` issues because of ``notification`` (``part`` tells
    apart several commands for one event)."""
    key = f"{notification.originator_id}:{notification.originator_version}"
    if part:
        key = f"{key}:{part}"
    return Idempotency(f"policy:{policy}", key, f"policy:{policy}:{key}")


class PolicyRunner:
    """Follows the log for each policy from its own position: catch-up, polling, waking."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        decode: Decoder,
        store: ReadStore,
        policies: Sequence[Policy],
        now: Callable[[], datetime],
        batch_size: int = 200,
    ) -> None:
        self.recorder = recorder
        self.decode = decode
        self.store = store
        self.policies = list(policies)
        self.now = now
        self.batch_size = batch_size
        self._locks = {p.name: threading.Lock() for p in self.policies}
        self._wake = threading.Event()
        self.positions = PositionTable(store, "policy_positions")
        self.timers = TimerTable(store)

    # -- where policies are --------------------------------------------------------------

    def states(self) -> dict[str, ProjectionState]:
        """Every policy's position and, if it stopped at an event, the failure."""
        return self.positions.states(p.name for p in self.policies)

    def failures(self) -> dict[str, ProjectionFailure]:
        return {n: s.failure for n, s in self.states().items() if s.failure is not None}

    # -- following -----------------------------------------------------------------------

    def catch_up(self, until: int | None = None) -> int:
        """React to what was appended (up to ``until``) in every healthy policy, and to what
        the clock made due; return how many events the policies reacted to."""
        head = until if until is not None else (self.recorder.max_notification_id() or 0)
        states = self.states()
        reacted = 0
        for policy in self.policies:
            state = states[policy.name]
            if state.failure is not None:
                continue
            with self._locks[policy.name]:
                if state.position < head:
                    reacted += self._follow(policy, state.position, head)
                reacted += self._fire_due(policy)
        return reacted

    def _follow(self, policy: Policy, position: int, head: int) -> int:
        reacted = 0
        while position < head:
            notifications = self.recorder.select_notifications(
                position,
                self.batch_size,
                stop=head,
                topics=policy.topics,
                inclusive_of_start=False,
            )
            for notification in notifications:
                try:
                    event = self.decode(notification)
                    due = due_of(policy, event)
                    if due is not None and due > self.now():
                        self.timers.hold(policy.name, notification.id, due)
                        continue
                    policy.react(event, notification)
                except RETRY_LATER as error:
                    log.warning("policy %s waits at %s: %s", policy.name, notification.id, error)
                    self._advance(policy.name, notification.id - 1)
                    return reacted
                except Exception as error:
                    self._stop_at(policy, notification, error)
                    return reacted
                reacted += 1
                # Each reaction moves the position, so a crash repeats at most one (and that
                # one's commands replay their first answers).
                self._advance(policy.name, notification.id)
            full = len(notifications) == self.batch_size
            position = notifications[-1].id if full else head
            self._advance(policy.name, position)
        return reacted

    def _fire_due(self, policy: Policy) -> int:
        """React to the events ``policy`` held whose time has come, the earliest first."""
        fired = 0
        for notification_id in self.timers.due(policy.name, self.now()):
            found = self.recorder.select_notifications(notification_id, 1, stop=notification_id)
            if found:
                notification = found[0]
                try:
                    policy.react(self.decode(notification), notification)
                except RETRY_LATER as error:
                    log.warning("policy %s waits at %s: %s", policy.name, notification.id, error)
                    return fired
                except Exception as error:
                    # Stopped like at a poison event, but the position stays where it is: the
                    # events after this one were handled. The timer stays for ``resume``.
                    self._record_failure(policy, notification, error)
                    return fired
                fired += 1
            self.timers.fired(policy.name, notification_id)
        return fired

    def _advance(self, name: str, position: int) -> None:
        with self.store.transaction() as cursor:
            cursor.execute(
                "INSERT INTO policy_positions (name, position) VALUES (%s, 0) "
                "ON CONFLICT (name) DO NOTHING",
                (name,),
            )
            cursor.execute(
                "UPDATE policy_positions SET position = %s WHERE name = %s AND position < %s",
                (position, name, position),
            )

    def _stop_at(self, policy: Policy, bad: Notification, error: Exception) -> None:
        log.error(
            "policy %s stopped at notification %s (%s): %s",
            policy.name,
            bad.id,
            bad.topic,
            "".join(traceback.format_exception(error)),
        )
        self._advance(policy.name, bad.id - 1)
        self._record_failure(policy, bad, error)

    def _record_failure(self, policy: Policy, bad: Notification, error: Exception) -> None:
        log.error("policy %s stopped at notification %s: %r", policy.name, bad.id, error)
        with self.store.transaction() as cursor:
            self.positions.record_failure(cursor, policy.name, ProjectionFailure.of(bad, error))

    # -- recovering ----------------------------------------------------------------------

    def resume(self, name: str | None = None) -> list[str]:
        """Let stopped policies try their failing event again (after a fix); return which."""
        return self.positions.resume(p.name for p in self._chosen(name))

    def rewind(self, name: str, position: int) -> None:
        """Follow the log again from ``position`` (what it reacted to already replays as no-ops)."""
        self._chosen(name)
        with self.store.transaction() as cursor:
            cursor.execute(
                "UPDATE policy_positions SET position = %s WHERE name = %s", (position, name)
            )

    def _chosen(self, name: str | None) -> list[Policy]:
        chosen = [p for p in self.policies if name in (None, p.name)]
        if not chosen:
            raise LookupError(f"no policy named {name!r}")
        return chosen

    # -- running -------------------------------------------------------------------------

    def run_forever(self, stop: threading.Event, interval: float = 0.1) -> None:
        """Follow the log until ``stop`` is set: at once when woken, else every ``interval``."""
        while not stop.is_set():
            self._wake.clear()
            try:
                self.catch_up()
            except Exception:
                # The store is unreachable (an event's own failure never gets here): the
                # thread must outlive it, or reactions would silently stop until a restart.
                log.exception("policy runner could not catch up; trying again")
                stop.wait(min(interval * 20, 1.0))
            self._wake.wait(interval)

    def wake(self) -> None:
        """Something was appended: a ``run_forever`` thread in this process reacts now."""
        self._wake.set()
