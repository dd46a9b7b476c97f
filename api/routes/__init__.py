"""One router per resource, collected here."""

from __future__ import annotations

from fastapi import APIRouter

from api.routes import accounts, api_keys, billing, health, members, passwords, plans, subaccounts

router = APIRouter()
for module in (health, plans, accounts, billing, members, api_keys, passwords, subaccounts):
    router.include_router(module.router)
