"""Liveness and how far the read models have got."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.deps import PodiumDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(podium: PodiumDep) -> dict[str, Any]:
    head = podium.store.recorder.max_notification_id() or 0
    positions = {p.name: podium.projector.position(p.name) for p in podium.projector.projections}
    return {"status": "ok", "store": podium.settings.store, "head": head, "projections": positions}
