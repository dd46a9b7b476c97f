"""Whose retry an Idempotency-Key on a live-room route is, and whose rate a limit counts."""

from __future__ import annotations

import hashlib
from uuid import UUID

from api.deps import scoped
from commands.accounts import Principal
from commands.live.actors import Caller
from commands.unit_of_work import Idempotency


def caller_key(room_id: UUID, caller: Caller) -> str:
    """One person in one room: a credential names one person in one session, an API key's
    principal one login. A digest, so no credential is kept in a store."""
    if isinstance(caller, Principal):
        return f"{room_id}:login:{caller.login_id}"
    return f"{room_id}:attendance:{hashlib.sha256(caller.encode()).hexdigest()[:32]}"


def room_idempotency(
    header: tuple[str, str] | None, room_id: UUID, caller: Caller
) -> Idempotency | None:
    """The Idempotency-Key of a live-room request, scoped to its caller in that room."""
    return scoped(header, f"live:{caller_key(room_id, caller)}")
