"""One router per resource, collected here.

Each router's error responses are declared from its routes before it is included
(``api.contract``). The room-address router matches ``/{handle}/{name_url}`` (constrained to
a room URL's shape) and goes last, so no other route is ever looked up behind it.
"""

from __future__ import annotations

from fastapi import APIRouter

from api.contract import declare_errors
from api.routes import (
    access,
    accounts,
    api_keys,
    billing,
    contacts,
    health,
    live,
    mail,
    members,
    panel_page,
    passwords,
    plans,
    public,
    recordings,
    reference,
    replay,
    room_page,
    rooms,
    statistics,
    subaccounts,
    telephony,
    timeline,
    webhooks,
)

router = APIRouter()
for module in (
    health,
    plans,
    accounts,
    billing,
    members,
    api_keys,
    passwords,
    subaccounts,
    reference,
    rooms,
    access,
    public,
    contacts,
    timeline,
    mail,
    telephony,
    recordings,
    replay,
    room_page,
    panel_page,
    webhooks,
    statistics,
):
    declare_errors(module.router)
    router.include_router(module.router)
for live_router in live.ROUTERS:
    declare_errors(live_router)
    router.include_router(live_router)
declare_errors(public.address_router)
router.include_router(public.address_router)
