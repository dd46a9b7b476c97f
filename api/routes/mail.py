"""Delivery status of the messages sent for the account (invitations, confirmations...)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import AccountOwner, PodiumDep
from api.responses.billing import Messages

router = APIRouter(prefix="/mail", tags=["mail"])


@router.get("", response_model=Messages)
def sent_mail(
    who: AccountOwner, podium: PodiumDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> dict[str, Any]:
    """Newest first: pending (with attempts and the last error) or delivered, and when.

    Bodies are not shown: reset and activation links in them belong to their recipients.
    """
    return {"messages": podium.views.outbox.for_account(str(who.account_id), limit)}
