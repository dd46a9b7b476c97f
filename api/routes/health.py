"""Liveness, readiness, and how far the read models have got.

``/health`` always answers 200 while the process serves (liveness) and says ``degraded``, with
the reason, when a read model has stopped at an event it cannot apply, a write-side policy
at an event it could not react to, or a stored snapshot failed its check. ``/health/ready`` is the
same report with 503 while degraded, for a load balancer or an orchestrator's readiness probe.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from api.deps import PodiumDep
from api.errors import PROBLEM, problem
from podium.bootstrap import Podium
from podium.metrics import CONTENT_TYPE

router = APIRouter(tags=["health"])


def report(podium: Podium) -> dict[str, Any]:
    head = podium.store.recorder.max_notification_id() or 0
    states = podium.projector.states()
    failures = {
        name: {
            "notification_id": state.failure.notification_id,
            "event": state.failure.event,
            "error": state.failure.error,
            "failed_at": state.failure.failed_at,
        }
        for name, state in states.items()
        if state.failure is not None
    }
    problems = [
        f"read model {name} stopped at {state.failure.describe()}; it serves its last good "
        f"state (notification {state.position}); fix the cause, then `podium resume {name}`"
        for name, state in states.items()
        if state.failure is not None
    ]
    # A write-side policy stopped at an event it raised on: what it does (slots freed,
    # thank-you mails) waits for that policy alone; the others go on.
    policy_states = podium.policies.states()
    stopped = {
        name: {
            "notification_id": state.failure.notification_id,
            "event": state.failure.event,
            "error": state.failure.error,
            "failed_at": state.failure.failed_at,
        }
        for name, state in policy_states.items()
        if state.failure is not None
    }
    problems += [
        f"policy {name} stopped at {state.failure.describe()}; its reactions wait "
        f"(at notification {state.position}); fix the cause, then `podium resume-policy {name}`"
        for name, state in policy_states.items()
        if state.failure is not None
    ]
    # Snapshots this process refused (tampered with, or sealed with another secret): commands
    # are correct (they replay from events instead) but someone changed stored state.
    refused = [
        {
            "aggregate_id": str(fault.aggregate_id),
            "version": fault.version,
            "topic": fault.topic,
            "reason": fault.reason,
        }
        for fault in podium.store.snapshot_faults
    ]
    problems += [
        f"refused the snapshot of {fault['topic']} {fault['aggregate_id']} at version "
        f"{fault['version']} ({fault['reason']}); replayed from events instead: run `podium audit`"
        for fault in refused
    ]
    return {
        "status": "degraded" if failures or stopped or refused else "ok",
        "store": podium.settings.store,
        "head": head,
        "projections": {name: state.position for name, state in states.items()},
        "failed_projections": failures,
        "policies": {name: state.position for name, state in policy_states.items()},
        "failed_policies": stopped,
        "refused_snapshots": refused,
        "problems": problems,
    }


@router.get("/health")
def health(podium: PodiumDep) -> dict[str, Any]:
    """Liveness: 200 while serving; ``status`` is ``degraded`` when a read model has stopped,
    ``unavailable`` (without asking the store) while PostgreSQL is unreachable."""
    if podium.watch is not None and podium.watch.down:
        problem_ = f"PostgreSQL unreachable: {podium.watch.last_error}"
        return {"status": "unavailable", "store": podium.settings.store, "problems": [problem_]}
    return report(podium)


@router.get(
    "/health/ready",
    responses={
        503: {
            "description": "Degraded: the same report, saying which read model or snapshot "
            "is wrong and what to do",
            "content": {
                PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}},
            },
        }
    },
)
def ready(podium: PodiumDep) -> JSONResponse:
    """Readiness: 200 when every read model is healthy, else 503 problem+json whose detail
    says what is wrong (the whole report rides along as extension members)."""
    body = report(podium)
    if body["status"] == "ok":
        return JSONResponse(body)
    details = {k: v for k, v in body.items() if k != "status"}  # status is the HTTP one here
    return problem(503, "; ".join(body["problems"]), health=body["status"], **details)


@router.get("/metrics", include_in_schema=False)
def metrics(podium: PodiumDep) -> Response:
    """Prometheus metrics of this process: commands, HTTP latency, projection lag, mail queue
    (``podium.metrics``). Restrict it at the proxy: it is for the monitoring system."""
    return Response(podium.metrics.exposition(), media_type=CONTENT_TYPE)
