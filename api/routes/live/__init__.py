"""The live room over HTTP, one router per concern (decision 0014).

``ROUTERS`` lists them; ``ACTIONS`` is every socket action their modules export, by name.
"""

from __future__ import annotations

from types import ModuleType

from api.routes.live import (
    audio,
    cameras,
    chat,
    cta,
    dial_in,
    hands,
    media,
    polls,
    questions,
    recording,
    reports,
    sessions,
    stage,
    whiteboard,
)
from api.routes.live.actions import SnapshotHook, SocketAction

MODULES: tuple[ModuleType, ...] = (
    sessions,
    audio,
    chat,
    questions,
    hands,
    cta,
    polls,
    whiteboard,
    stage,
    cameras,
    recording,
    dial_in,
    media,
    reports,
)
ROUTERS = tuple(module.router for module in MODULES)
ACTIONS: dict[str, SocketAction] = {
    name: action for module in MODULES for name, action in getattr(module, "ACTIONS", {}).items()
}
SNAPSHOTS: tuple[SnapshotHook, ...] = tuple(
    module.snapshot for module in MODULES if callable(getattr(module, "snapshot", None))
)
