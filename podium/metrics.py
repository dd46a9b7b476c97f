"""Prometheus metrics of one Podium process (decision 0032).

Each ``Podium`` owns a ``Metrics``: its own registry (no module-level state, so tests build
as many as they like), counted as things happen:

- ``podium_commands_total{command, outcome}``, ``podium_command_errors_total{command, error}``
  and ``podium_command_seconds{command}``: every command the ``CommandRunner`` runs, named by
  the service method that issued it (``Billing.add_funds``), errors by exception type;
- ``podium_http_requests_total{method, route, status}`` and ``podium_http_request_seconds``:
  by route template (``/rooms/{room_id}``), never the raw path, so the label set is bounded;
- ``podium_websocket_connections``: room sockets open in this process;

and read from the store at each scrape (``StateCollector``): ``podium_store_up``,
``podium_log_head``, ``podium_projection_lag_events{projection}`` (the log's head minus the
read model's position), ``podium_projection_stopped{projection}``,
``podium_policy_lag_events{policy}`` and ``podium_mail_pending`` (the outbox's queue).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from podium.bootstrap import Podium

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Commands: a row append is a few ms, a payment or a big batch can take a second or more.
COMMAND_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
HTTP_BUCKETS = COMMAND_BUCKETS
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class Metrics:
    """The counters and histograms one process keeps, in its own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)  # CPU, memory, open files of this process
        self.commands = Counter(
            "podium_commands",
            "Commands run to an answer, by the service method that issued them and outcome",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.command_errors = Counter(
            "podium_command_errors",
            "Commands that raised (a refusal or a failure), by exception type",
            ["command", "error"],
            registry=self.registry,
        )
        self.command_seconds = Histogram(
            "podium_command_seconds",
            "Time to run a command, retries included",
            ["command"],
            buckets=COMMAND_BUCKETS,
            registry=self.registry,
        )
        self.requests = Counter(
            "podium_http_requests",
            "HTTP answers, by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "podium_http_request_seconds",
            "Time to answer an HTTP request, by method and route template",
            ["method", "route"],
            buckets=HTTP_BUCKETS,
            registry=self.registry,
        )
        self.websockets = Gauge(
            "podium_websocket_connections",
            "Room WebSockets open in this process",
            registry=self.registry,
        )

    # -- commands.ports.CommandMetrics ---------------------------------------------------------

    def command_ran(self, name: str, outcome: str, seconds: float) -> None:
        self.commands.labels(name, outcome).inc()
        self.command_seconds.labels(name).observe(seconds)

    def command_failed(self, name: str, error: str, seconds: float) -> None:
        self.command_errors.labels(name, error).inc()
        self.command_seconds.labels(name).observe(seconds)

    # -- HTTP ----------------------------------------------------------------------------------

    def request_answered(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.request_seconds.labels(method, route).observe(seconds)

    # -- state ---------------------------------------------------------------------------------

    def follow(self, podium: Podium) -> None:
        """Read the log's head, the followers' positions and the mail queue at each scrape."""
        self.registry.register(StateCollector(podium))

    def exposition(self) -> bytes:
        """Every metric in Prometheus' text format."""
        return generate_latest(self.registry)


class StateCollector(Collector):
    """Gauges read from the store when scraped: lag per read model and policy, mail queue."""

    def __init__(self, podium: Podium) -> None:
        self.podium = podium

    def describe(self) -> Iterator[Metric]:
        return iter(())  # read at scrape time only: nothing to check at registration

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("podium_store_up", "1 when the event store answered this scrape")
        watch = self.podium.watch
        if watch is not None and watch.down:
            up.add_metric([], 0)
            yield up
            return
        try:
            families = list(self._read())
        except Exception:  # an unreachable store is what this gauge reports, not an error
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _read(self) -> Iterator[Metric]:
        podium = self.podium
        head = podium.store.recorder.max_notification_id() or 0
        yield GaugeMetricFamily("podium_log_head", "The last notification id in the log", head)
        lag = GaugeMetricFamily(
            "podium_projection_lag_events",
            "Events in the log a read model has not applied yet",
            labels=["projection"],
        )
        stopped = GaugeMetricFamily(
            "podium_projection_stopped",
            "1 when a read model stopped at an event it cannot apply",
            labels=["projection"],
        )
        for name, state in sorted(podium.projector.states().items()):
            lag.add_metric([name], max(head - state.position, 0))
            stopped.add_metric([name], 1 if state.failure is not None else 0)
        yield lag
        yield stopped
        policy_lag = GaugeMetricFamily(
            "podium_policy_lag_events",
            "Events in the log a write-side policy has not reacted to yet",
            labels=["policy"],
        )
        for name, state in sorted(podium.policies.states().items()):
            policy_lag.add_metric([name], max(head - state.position, 0))
        yield policy_lag
        yield GaugeMetricFamily(
            "podium_mail_pending",
            "Messages in the outbox not delivered yet (due or backing off)",
            podium.views.outbox.pending_count(),
        )
