"""Room actions a participant may send over the WebSocket as well as over REST (decision 0014).

Each concern's router module (``api.routes.live.<concern>``) exports ``ACTIONS``: the action
names a socket frame may carry (``{"action": "chat.send", ...}``), each with the pydantic model
that validates the frame's other fields (the same model the REST route takes) and the function
that runs it. The gateway looks an action up here, validates, runs it in a worker thread and
answers with the same body (or the same error) the REST route would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from commands.live.actors import Actor, Caller
from commands.unit_of_work import Result
from podium.bootstrap import Podium


@dataclass(frozen=True)
class SocketAction:
    """One action: what its frame must hold, and the command it runs for a caller in a room."""

    body: type[BaseModel]
    run: Callable[[Podium, Caller, UUID, Any], Result]


SnapshotHook = Callable[[Podium, UUID, int, Actor], dict[str, Any]]
"""A concern's part of the room snapshot a socket is sent on connect (decision 0020).

A router module may export ``snapshot(podium, room_id, session, actor) -> dict``: the concern's
state for that actor (say ``{"hands": [...]}``), read from its read models only. The gateway
merges every module's dict into one snapshot and holds the read models still while it reads,
so the snapshot shows exactly the room events up to its position and none after.
"""
