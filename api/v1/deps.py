"""Dependencies of the /v1/ routes: parameters, the caller, the room named in the path."""

from __future__ import annotations

import logging
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request

from api.consistency import settle as settle_result
from api.deps import PRINCIPAL_KEY, IdempotencyHeader, PodiumDep, principal_scope, scoped
from api.v1.errors import V1Error
from api.v1.fields import Params
from api.v1.params import read_params
from commands.accounts import Principal
from commands.errors import AuthenticationError
from commands.unit_of_work import Idempotency, Result
from podium.bootstrap import Podium

log = logging.getLogger(__name__)


async def wire_params(request: Request) -> Params:
    """Every parameter of the request (query, form or JSON body), normalised."""
    return Params(await read_params(request))


ParamsDep = Annotated[Params, Depends(wire_params)]


def v1_principal(podium: PodiumDep, request: Request, params: ParamsDep) -> Principal:
    """The caller: ``X-Api-Key`` header, or the ``api_key`` parameter older clients send
    (already known if the key was checked before the body was read, ``api.middleware``)."""
    known = request.scope.get(PRINCIPAL_KEY)
    if isinstance(known, Principal):
        return known
    key = (request.headers.get("x-api-key") or "").strip() or (params.text("api_key") or "")
    if not key.strip():
        raise AuthenticationError("send your API key in the X-Api-Key header")
    return podium.accounts.authenticate(key.strip())


CallerDep = Annotated[Principal, Depends(v1_principal)]


def owned_room(podium: PodiumDep, who: CallerDep, room_id: int) -> dict[str, Any]:
    """The room whose number is in the path, if it is the caller's account's (else 404)."""
    row = podium.views.rooms.by_number(room_id)
    if row is None or row["account_id"] != str(who.account_id):
        raise V1Error(404, f"conference {room_id} not found", "room_id")
    return row


RoomDep = Annotated[dict[str, Any], Depends(owned_room)]


def idempotency(header: IdempotencyHeader, who: CallerDep) -> Idempotency | None:
    """An ``Idempotency-Key`` if the client sent one (ClickMeeting clients do not)."""
    return scoped(header, principal_scope(who))


IdemDep = Annotated[Idempotency | None, Depends(idempotency)]


def room_uuid(row: dict[str, Any]) -> UUID:
    return UUID(str(row["room_id"]))


def settle(podium: Podium, result: Result) -> Result:
    """Bring the read models the command changed up to its write, so the answer shows it
    (``api.consistency.settle``: the same path as the panel's).

    A command's refusal (a declined payment) is raised in ClickMeeting's shape. A read model
    that cannot show the write is logged, not put in a header as the panel does: ClickMeeting's
    wire format has no such header, and an error would make a ClickMeeting client repeat a write
    that was accepted; the answer then says what the command knows.
    """
    settled = settle_result(podium, result)
    if settled.refused:
        raise V1Error(422, str(result.body.get("detail") or result.body.get("title") or "refused"))
    if settled.stale:
        log.warning(
            "answering with stale read models %s after notification %s",
            settled.stale,
            result.position,
        )
    return result
