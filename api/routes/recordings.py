"""The account's recordings in storage: the list (duration, size, created) and a download.

A recording appears here once the composer has stored its take (decision 0025); what it
takes of the plan's storage is ``storage``. Trimming and publishing come with the library.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.contract import problems
from api.deps import CurrentPrincipal, PodiumDep
from api.responses.recording import StoredRecordings
from domain.errors import NotFoundError
from domain.login import Role
from podium.bootstrap import Podium

router = APIRouter(prefix="/account/recordings", tags=["recording"])


def _storage_limit_mb(podium: Podium, account_id: UUID, role: Role) -> int:
    if role == Role.SUBACCOUNT:
        summary = podium.views.accounts.subaccount(str(account_id))
    else:
        summary = podium.views.accounts.account(str(account_id))
    if summary is None:
        raise NotFoundError("account not found")
    return int(summary["limits"]["storage_mb"])


@router.get("", response_model=StoredRecordings)
def listed(who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    """The account's stored recordings, newest first: room, session, take, duration in
    seconds, size in bytes, media type and when it was stored; and the storage they take of
    the plan's."""
    account = str(who.account_id)
    used = podium.views.stored_recordings.storage_used(account)
    limit = _storage_limit_mb(podium, who.account_id, who.role)
    return {
        "recordings": podium.views.stored_recordings.listed(account),
        "storage": {"used_bytes": used, "limit_mb": limit, "full": used >= limit * 1024 * 1024},
    }


@router.get(
    "/{recording_id}/file",
    response_class=StreamingResponse,
    responses={200: {"content": {"video/webm": {}, "audio/webm": {}}}, **problems(404)},
)
def download(recording_id: UUID, who: CurrentPrincipal, podium: PodiumDep) -> StreamingResponse:
    """The recording's file (WebM). Another account's recording is not found (404)."""
    row = podium.views.stored_recordings.one(str(who.account_id), str(recording_id))
    size = podium.storage.size(row["storage_key"]) if row is not None else None
    if row is None or size is None:
        raise NotFoundError("recording not found")
    name = f"recording-{row['session']}-{row['number']}.webm"
    return StreamingResponse(
        podium.storage.chunks(row["storage_key"]),
        media_type=row["content_type"],
        headers={
            "Content-Length": str(size),
            "Content-Disposition": f'attachment; filename="{name}"',
        },
    )
