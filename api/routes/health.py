"""Liveness, readiness, and how far the read models have got.

``/health`` always answers 200 while the process serves (liveness) and says ``degraded``, with
the reason, when a read model has stopped at an event it cannot apply. ``/health/ready`` is the
same report with 503 while degraded, for a load balancer or an orchestrator's readiness probe.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import PodiumDep
from podium.bootstrap import Podium

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
    return {
        "status": "degraded" if failures else "ok",
        "store": podium.settings.store,
        "head": head,
        "projections": {name: state.position for name, state in states.items()},
        "failed_projections": failures,
        "problems": problems,
    }


@router.get("/health")
def health(podium: PodiumDep) -> dict[str, Any]:
    """Liveness: 200 while serving; ``status`` is ``degraded`` when a read model has stopped."""
    return report(podium)


@router.get("/health/ready")
def ready(podium: PodiumDep) -> JSONResponse:
    """Readiness: 200 when every read model is healthy, 503 (with the reason) when not."""
    body = report(podium)
    return JSONResponse(body, status_code=200 if body["status"] == "ok" else 503)
