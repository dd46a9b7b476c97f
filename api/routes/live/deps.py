"""Who calls a live-room route: a participant's attendance credential, or the host's API key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials

from api.deps import API_KEY, BEARER, PodiumDep, current_principal
from api.errors import answers
from commands.live.actors import Caller

ATTENDANCE = APIKeyHeader(
    name="Podium-Attendance",
    auto_error=False,
    description="the credential POST /rooms/{room_id}/join answered with",
)


@answers(401)
def room_caller(
    podium: PodiumDep,
    request: Request,
    attendance: Annotated[str | None, Security(ATTENDANCE)] = None,
    x_api_key: Annotated[str | None, Security(API_KEY)] = None,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)] = None,
) -> Caller:
    """A participant by the Podium-Attendance header, else the host by the account's API key."""
    if attendance and attendance.strip():
        return attendance.strip()
    return current_principal(podium, request, x_api_key, bearer)


RoomCaller = Annotated[Caller, Depends(room_caller)]
