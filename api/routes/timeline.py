"""The account timeline: everything that happened in the account, most recent first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import CurrentPrincipal, PodiumDep
from api.responses.billing import Timeline
from api.schemas import Position
from domain.login import has_billing_rights

router = APIRouter(prefix="/timeline", tags=["timeline"])


@router.get("", response_model=Timeline)
def timeline(
    who: CurrentPrincipal,
    podium: PodiumDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[Position | None, Query()] = None,
) -> dict[str, Any]:
    """Most recent first; page back with `before` = the last `position` you saw.

    Billing and subaccount events are shown to the account's owner only (docs/roles.md)."""
    owner = has_billing_rights(who.role)
    entries = podium.views.timeline.timeline(str(who.account_id), limit, before, owner=owner)
    return {"entries": entries}
