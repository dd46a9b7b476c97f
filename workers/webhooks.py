"""The webhook worker: each endpoint's queue filled from its account's events, and sent (0034).

Two steps each round, both safe to run in several processes at once:

- **Queue.** For each enabled endpoint, the account's events after its cursor that it wants
  (``account_events``, complete up to that projection's position) are read from the source
  (the event store's log today; the Kafka feed could be another ``EventSource``), turned into
  bodies, and queued with the cursor's move in one transaction: none is queued twice, none is
  skipped. A new endpoint starts at its registration; a replay sends its cursor back.
- **Send.** Each endpoint's due deliveries are claimed (at most ``concurrency`` in flight per
  endpoint, across workers) and POSTed from a thread pool; the loop never waits for a send,
  so a receiver that answers slowly or never only holds its own claims, for at most the
  timeout. An answer other than 2xx is retried with exponential backoff and jitter until a day
  after the first attempt. A worker killed mid-send leaves a claim that lapses, and the
  delivery goes out again with the same id: at least once, exactly once for a receiver that
  deduplicates by ``id``.

The body is ``{id, type, created, account, position, data}``: ``id`` derives from the event's
stream and version, so it is the same on every attempt, every replay and every endpoint.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import uuid
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import orjson
from eventsourcing.persistence import ApplicationRecorder, Notification
from eventsourcing.utils import get_topic

from commands.ports import Clock
from commands.webhooks import endpoint_secret
from domain.ids import derived_id
from domain.webhook_kinds import EVENT_CLASSES, kind_of
from podium.webhook_http import SIGNATURE_HEADER, Answer, signature
from projections.account_events.projection import NAME as INDEX
from projections.account_events.projection import micros
from projections.projector import Decoder, ProjectionRaceError, Projector
from projections.store import ReadStore
from projections.webhooks.projection import WebhooksProjection
from projections.webhooks.view import WebhooksView
from workers.webhook_queue import Claimed, Queued, QueueRaceError, WebhookQueue

if TYPE_CHECKING:
    from podium.bootstrap import Podium

log = logging.getLogger(__name__)
KIND_TOPICS = tuple(get_topic(cls) for cls in EVENT_CLASSES)
# What the worker reads is projected from these (the index and the endpoints).
READ_TOPICS = (*KIND_TOPICS, *WebhooksProjection.topics)


class EventSource(Protocol):
    """Where the worker reads events by position (the log; later the Kafka feed)."""

    def events(self, positions: Sequence[int]) -> dict[int, tuple[Any, Notification]]: ...


class Sender(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer: ...


class LogSource:
    """Events read from the event store's notification log, decoded as the store decodes."""

    def __init__(self, recorder: ApplicationRecorder, decode: Decoder) -> None:
        self.recorder, self.decode = recorder, decode

    def events(self, positions: Sequence[int]) -> dict[int, tuple[Any, Notification]]:
        found: dict[int, tuple[Any, Notification]] = {}
        if not positions:
            return found
        wanted = set(positions)
        start, stop = min(positions), max(positions)
        while start <= stop:
            batch = self.recorder.select_notifications(
                start, 500, stop=stop, topics=KIND_TOPICS, inclusive_of_start=True
            )
            for notification in batch:
                if notification.id in wanted:
                    found[notification.id] = (self.decode(notification), notification)
            if len(batch) < 500:
                break
            start = batch[-1].id + 1
        return found


def event_id(notification: Notification) -> str:
    """The delivery id receivers deduplicate by: the same for one event, always."""
    stream = f"{notification.originator_id}:{notification.originator_version}"
    return f"evt_{derived_id('webhook-event', stream).hex}"


def body_of(event: Any, notification: Notification, position: int, account: str) -> Queued | None:
    kind = kind_of(event)
    if kind is None:
        return None
    data = {"object_id": str(notification.originator_id), **kind.data(event)}
    document = {
        "id": event_id(notification),
        "type": kind.name,
        "created": event.at.isoformat(),
        "account": account,
        "position": position,
        "data": data,
    }
    return Queued(position, document["id"], kind.name, orjson.dumps(document).decode())


class Backoff:
    """Seconds before the next attempt: doubling from ``base`` up to ``cap``, times a random
    factor in [0.5, 1) so receivers that failed together are not retried together."""

    def __init__(self, base: float, cap: float, rng: random.Random | None = None) -> None:
        self.base, self.cap, self.rng = base, cap, rng or random.Random()

    def delay(self, attempts: int) -> float:
        ceiling = min(self.cap, self.base * 2.0 ** max(attempts - 1, 0))
        return float(ceiling * self.rng.uniform(0.5, 1.0))


class WebhookWorker:
    """Queues and sends every enabled endpoint's deliveries (see the module's docstring)."""

    def __init__(
        self,
        store: ReadStore,
        projector: Projector,
        source: EventSource,
        sender: Sender,
        clock: Clock,
        server_secret: str,
        *,
        concurrency: int = 1,
        threads: int = 16,
        timeout: float = 5.0,
        backoff: Backoff | None = None,
        retry_for: float = 86_400.0,
        rotation_grace: float = 86_400.0,
        project: bool = True,
        batch: int = 200,
    ) -> None:
        self.store, self.projector, self.source, self.sender = store, projector, source, sender
        self.clock, self.server_secret = clock, server_secret
        self.concurrency, self.retry_for, self.batch = concurrency, retry_for, batch
        self.rotation_grace, self.project = rotation_grace, project
        self.lease = timedelta(seconds=2 * timeout + 1)
        self.backoff = backoff or Backoff(10.0, 3600.0)
        self.view = WebhooksView(store)
        self.queue = WebhookQueue(store)
        self.name = f"webhooks-{uuid.uuid4().hex[:8]}"
        self.threads = threads
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="webhook-send")
        self._in_flight: dict[str, int] = defaultdict(int)
        self._flight_lock = threading.Lock()
        self._wake = threading.Event()
        self.sends_done = threading.Condition()

    # -- one round ---------------------------------------------------------------------------

    def step(self) -> int:
        """Queue what is new and start the sends that are due; return how many started."""
        if self.project:
            # Another process projecting meanwhile is fine: what it did is what we read.
            with contextlib.suppress(ProjectionRaceError):
                self.projector.catch_up(topics=READ_TOPICS)
        endpoints = self.view.active()
        upto = self.projector.position(INDEX)
        # Two queries say which endpoints have anything to queue: most rounds, none has.
        cursors, replayed = self.queue.cursors(), self.view.last_replays()
        for endpoint in endpoints:
            endpoint_id = str(endpoint["endpoint_id"])
            known = cursors.get(endpoint_id)
            if known is not None and known[0] >= upto and replayed.get(endpoint_id, 0) <= known[1]:
                continue
            try:
                self._fill(endpoint, upto)
            except QueueRaceError:
                continue  # another worker queued this endpoint's batch: next round
            except Exception:
                # One endpoint's trouble must not stop the others' queues; it tries again.
                log.exception("webhook endpoint %s: could not queue; trying again", endpoint_id)
        return self._dispatch(endpoints)

    def _fill(self, endpoint: dict[str, Any], upto: int) -> None:
        endpoint_id = str(endpoint["endpoint_id"])
        seen = self.queue.cursor(endpoint_id, int(endpoint["registered_position"]))
        replays = self.view.replays_after(endpoint_id, seen[1])
        if replays:
            starts = [self._start_of(endpoint, r) for r in replays]
            self.queue.restart(endpoint_id, seen, min(starts), int(replays[-1]["replay"]))
            seen = (min(starts), int(replays[-1]["replay"]))
        kinds = list(endpoint["kinds"])
        while seen[0] < upto:
            marks = ", ".join(["%s"] * len(kinds))
            rows = self.store.query(
                "SELECT position FROM account_events WHERE account_id = %s "  # noqa: S608
                f"AND position > %s AND position <= %s AND kind IN ({marks}) "
                "ORDER BY position LIMIT %s",
                (endpoint["account_id"], seen[0], upto, *kinds, self.batch),
            )
            positions = [int(r["position"]) for r in rows]
            events = self.source.events(positions)
            items = []
            for position in positions:
                event, notification = events[position]
                item = body_of(event, notification, position, str(endpoint["account_id"]))
                if item is not None:
                    items.append(item)
            moved = positions[-1] if len(positions) == self.batch else upto
            self.queue.put(endpoint_id, seen, moved, items, micros(self.clock.now()))
            seen = (moved, seen[1])

    def _start_of(self, endpoint: dict[str, Any], replay: dict[str, Any]) -> int:
        """The position a replay starts after: its own, or just before the account's first
        event at or after its instant."""
        if replay["position"] is not None:
            return int(replay["position"])
        since = micros(datetime.fromisoformat(str(replay["since"])))
        rows = self.store.query(
            "SELECT MIN(position) AS first FROM account_events "
            "WHERE account_id = %s AND occurred_at_us >= %s",
            (endpoint["account_id"], since),
        )
        first = rows[0]["first"] if rows else None
        return int(first) - 1 if first is not None else self.projector.position(INDEX)

    # -- sending -----------------------------------------------------------------------------

    def _dispatch(self, endpoints: list[dict[str, Any]]) -> int:
        now = self.clock.now()
        now_us = micros(now)
        due = self.queue.due_endpoints(now_us)
        started = 0
        for endpoint in endpoints:
            endpoint_id = str(endpoint["endpoint_id"])
            with self._flight_lock:
                free = self.concurrency - self._in_flight[endpoint_id]
                # Never claim more than the pool can start now: a claim waiting behind stuck
                # sends could outlive its lease and be sent twice.
                idle_threads = self.threads - sum(self._in_flight.values())
            if endpoint_id not in due or free <= 0:
                continue
            if idle_threads <= 0:
                break
            until = micros(now + self.lease)
            limit = min(self.concurrency, idle_threads + self.concurrency - free)
            claimed = self.queue.claim(endpoint_id, limit, now_us, until, self.name)
            for delivery in claimed:
                with self._flight_lock:
                    self._in_flight[endpoint_id] += 1
                self._pool.submit(self._send, endpoint, delivery)
                started += 1
        return started

    def secrets(self, endpoint: dict[str, Any], now: datetime) -> list[str]:
        """The secrets a delivery is signed with: the current one, and the previous one while
        a rotation's grace lasts."""
        endpoint_id = uuid.UUID(str(endpoint["endpoint_id"]))
        found = [endpoint_secret(self.server_secret, endpoint_id, int(endpoint["generation"]))]
        previous, rotated = endpoint["previous_generation"], endpoint["rotated_at"]
        grace = timedelta(seconds=self.rotation_grace)
        if previous is not None and now - datetime.fromisoformat(str(rotated)) < grace:
            found.append(endpoint_secret(self.server_secret, endpoint_id, int(previous)))
        return found

    def _send(self, endpoint: dict[str, Any], delivery: Claimed) -> None:
        try:
            now = self.clock.now()
            body = delivery.body.encode()
            stamp = int(now.timestamp())
            headers = {
                SIGNATURE_HEADER: signature(self.secrets(endpoint, now), stamp, body),
                "Podium-Webhook-Id": delivery.event_id,
            }
            answer = self.sender.post(str(endpoint["url"]), body, headers)
            self._record(delivery, answer)
        except Exception:
            log.exception("webhook %s: could not record a delivery", delivery.event_id)
        finally:
            with self._flight_lock:
                self._in_flight[delivery.endpoint_id] -= 1
            with self.sends_done:
                self.sends_done.notify_all()
            self._wake.set()

    def _record(self, delivery: Claimed, answer: Answer) -> None:
        now = self.clock.now()
        now_us = micros(now)
        next_us: int | None = None
        outcome = "delivered" if answer.delivered else "failed"
        if not answer.delivered:
            retry_at = now_us + int(self.backoff.delay(delivery.attempts + 1) * 1_000_000)
            if retry_at <= delivery.queued_at_us + int(self.retry_for * 1_000_000):
                next_us = retry_at
            else:
                log.warning("webhook %s: gave up after a day of retries", delivery.event_id)
        self.queue.record(
            delivery, now_us, outcome, answer.code, answer.error, answer.duration_ms, next_us
        )

    def idle(self) -> bool:
        with self._flight_lock:
            return not any(self._in_flight.values())

    # -- running -----------------------------------------------------------------------------

    def wake(self) -> None:
        self._wake.set()

    def run_forever(self, stop: threading.Event, interval: float = 0.5) -> None:
        """Follow until ``stop``: at once when woken (an append here, a NOTIFY, a finished
        send), else every ``interval``."""
        while not stop.is_set():
            self._wake.clear()
            try:
                self.step()
            except Exception:
                log.exception("webhook worker could not follow the log; trying again")
                stop.wait(min(interval * 4, 2.0))
            self._wake.wait(interval)
        self.close()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def build_worker(podium: Podium, sender: Sender | None = None, **overrides: Any) -> WebhookWorker:
    """The worker for a ``Podium``, from its settings."""
    from podium.webhook_http import HttpSender

    settings = podium.settings
    options: dict[str, Any] = {
        "concurrency": settings.webhook_endpoint_concurrency,
        "threads": settings.webhook_threads,
        "timeout": settings.webhook_timeout,
        "backoff": Backoff(settings.webhook_retry_base, settings.webhook_retry_cap),
        "retry_for": settings.webhook_retry_for,
        "rotation_grace": settings.webhook_rotation_grace,
        "project": settings.project_inline,
    } | overrides
    return WebhookWorker(
        podium.read_store,
        podium.projector,
        LogSource(podium.store.recorder, podium.store.mapper.to_domain_event),
        sender or HttpSender(settings.webhook_timeout, settings.webhook_allow_private),
        podium.clock,
        settings.secret,
        **options,
    )
