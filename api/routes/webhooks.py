"""Webhook endpoints of an account: the owner's, like billing (docs/roles.md, decision 0034).

Deliveries can carry payments and attendees' emails, so only the owner of an account manages
them; a member or a subaccount gets 403. Another account's endpoint is 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import AccountOwner, IdempotencyHeader, PodiumDep, principal_scope, respond, scoped
from api.responses.webhooks import (
    Deleted,
    Deliveries,
    Endpoint,
    Endpoints,
    EndpointWithSecret,
    Kinds,
    Replay,
)
from api.webhook_schemas import ReplayIn, WebhookChange, WebhookIn
from commands.unit_of_work import Result
from domain.errors import NotFoundError
from domain.webhook_kinds import KINDS
from podium.bootstrap import Podium

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["endpoint_id"],
        "url": row["url"],
        "kinds": row["kinds"],
        "description": row["description"],
        "enabled": row["status"] == "enabled",
        "secret_generation": row["generation"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _own(podium: Podium, account_id: UUID, endpoint_id: UUID) -> dict[str, Any]:
    row = podium.views.webhooks.endpoint(str(account_id), str(endpoint_id))
    if row is None:
        raise NotFoundError("webhook endpoint not found")
    return row


def _with_secret(podium: Podium, result: Result) -> JSONResponse:
    body = result.body
    if "secret_generation" not in body:  # a refusal
        return respond(podium, result)
    secret = podium.webhooks.secret(UUID(str(body["id"])), int(body["secret_generation"]))
    return respond(podium, result, secret=secret)


@router.get("/kinds", response_model=Kinds)
def kinds() -> dict[str, Any]:
    """The event kinds an endpoint may ask for."""
    return {"kinds": [{"name": k.name, "description": k.description} for k in KINDS]}


@router.post("", status_code=201, response_model=EndpointWithSecret)
def register(
    body: WebhookIn, who: AccountOwner, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """A new endpoint; its signing secret is in this answer only (and a retry's under the
    same Idempotency-Key)."""
    count = len(podium.views.webhooks.endpoints(str(who.account_id)))
    result = podium.webhooks.register(
        who.account_id,
        body.url,
        body.kinds,
        body.description,
        count,
        scoped(idem, principal_scope(who) + ":webhooks"),
    )
    return _with_secret(podium, result)


@router.get("", response_model=Endpoints)
def endpoints(who: AccountOwner, podium: PodiumDep) -> dict[str, Any]:
    rows = podium.views.webhooks.endpoints(str(who.account_id))
    return {"webhooks": [_shown(row) for row in rows]}


@router.get("/{endpoint_id}", response_model=Endpoint)
def endpoint(endpoint_id: UUID, who: AccountOwner, podium: PodiumDep) -> dict[str, Any]:
    return _shown(_own(podium, who.account_id, endpoint_id))


@router.patch("/{endpoint_id}", response_model=Endpoint)
def change(
    endpoint_id: UUID, body: WebhookChange, who: AccountOwner, podium: PodiumDep
) -> JSONResponse:
    """Change the URL, the kinds or the description, or disable (``enabled: false``) and
    enable it again."""
    result = podium.webhooks.change(
        who.account_id, endpoint_id, body.url, body.kinds, body.description, body.enabled
    )
    return respond(podium, result)


@router.delete("/{endpoint_id}", response_model=Deleted)
def delete(endpoint_id: UUID, who: AccountOwner, podium: PodiumDep) -> JSONResponse:
    return respond(podium, podium.webhooks.delete(who.account_id, endpoint_id))


@router.post("/{endpoint_id}/secret", response_model=EndpointWithSecret)
def rotate_secret(
    endpoint_id: UUID, who: AccountOwner, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """A new signing secret, shown here once; the previous one still signs alongside it for
    the rotation grace (PODIUM_WEBHOOK_ROTATION_GRACE seconds)."""
    scope = principal_scope(who) + ":webhooks"
    result = podium.webhooks.rotate_secret(who.account_id, endpoint_id, scoped(idem, scope))
    return _with_secret(podium, result)


@router.post("/{endpoint_id}/replay", status_code=202, response_model=Replay)
def replay(
    endpoint_id: UUID,
    body: ReplayIn,
    who: AccountOwner,
    podium: PodiumDep,
    idem: IdempotencyHeader,
) -> JSONResponse:
    """Deliver the account's events again from a position (exclusive) or an instant: the same
    events, in the same order, with the same ids."""
    scope = principal_scope(who) + ":webhooks"
    result = podium.webhooks.replay(
        who.account_id, endpoint_id, body.position, body.since, scoped(idem, scope)
    )
    return respond(podium, result)


@router.get("/{endpoint_id}/deliveries", response_model=Deliveries)
def deliveries(endpoint_id: UUID, who: AccountOwner, podium: PodiumDep) -> dict[str, Any]:
    """The latest deliveries (newest first), each with every attempt: when, the answer's
    status code or the error, and how long it took."""
    _own(podium, who.account_id, endpoint_id)
    return {"deliveries": podium.views.webhooks.deliveries(str(endpoint_id))}
