"""The plan catalogue and price list: which plans exist and what each allows."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.responses.reference import Catalogue
from domain.plans import (
    ADD_ON_MONTHLY_PRICE,
    ANNUAL_DISCOUNT_PERCENT,
    NONPROFIT_DISCOUNT_PERCENT,
    PLANS,
    SUBACCOUNT_PACKAGE_MONTHLY_PRICE,
    TRIAL_DAYS,
    TRIAL_LIMITS,
)

router = APIRouter(prefix="/plans", tags=["plans"])


@router.get("", response_model=Catalogue)
def catalogue() -> dict[str, Any]:
    return {
        "trial": {"days": TRIAL_DAYS, "limits": TRIAL_LIMITS.as_dict(), "card_required": False},
        "plans": [plan.as_dict() for plan in PLANS.values()],
        "annual_discount_percent": ANNUAL_DISCOUNT_PERCENT,
        "nonprofit_discount_percent": NONPROFIT_DISCOUNT_PERCENT,
        "add_ons": {name.value: price.amount for name, price in ADD_ON_MONTHLY_PRICE.items()},
        "subaccount_packages": {
            str(size): price.amount for size, price in SUBACCOUNT_PACKAGE_MONTHLY_PRICE.items()
        },
        "currency": "USD",
    }
