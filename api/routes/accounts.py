"""Sign-up, log-in, and the account as its summary shows it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.contract import problems
from api.deps import CurrentPrincipal, IdempotencyHeader, PodiumDep, issue_raw_key, respond, scoped
from api.responses.accounts import AccountSummary, IssuedKey, SignedUp
from api.schemas import LogIn, SignUp
from api.throttle import LOG_IN, SIGN_UP
from domain.errors import NotFoundError
from domain.login import Role, has_billing_rights

BILLING_FIELDS = ("balance", "payment_method")  # what a login without billing rights misses

router = APIRouter(tags=["accounts"])


@router.post(
    "/accounts",
    status_code=201,
    response_model=SignedUp,
    responses=problems(429),
    dependencies=[SIGN_UP],
)
def sign_up(body: SignUp, podium: PodiumDep, idem: IdempotencyHeader) -> JSONResponse:
    """Open an account on the 30-day free trial (no card), with its owner's login."""
    result = podium.accounts.sign_up(
        body.name, str(body.email), body.password, body.nonprofit, scoped(idem, "sign-up")
    )
    return respond(podium, result)


@router.post(
    "/sessions",
    status_code=201,
    response_model=IssuedKey,
    responses=problems(401, 429),
    dependencies=[LOG_IN],
)
def log_in(body: LogIn, podium: PodiumDep, idem: IdempotencyHeader) -> JSONResponse:
    """Log in with email and password; the answer carries an API key for this session.

    Under an Idempotency-Key a retry gets the same session, not a second one."""
    scope = f"session:{str(body.email).lower()}"
    raw_key = issue_raw_key(podium, idem, scope)
    result = podium.accounts.log_in(str(body.email), body.password, raw_key, scoped(idem, scope))
    return respond(podium, result, api_key=raw_key)


@router.get("/account", response_model=AccountSummary, response_model_exclude_unset=True)
def account(who: CurrentPrincipal, podium: PodiumDep) -> dict[str, Any]:
    """Which plan the account is on, what it allows, its add-ons, subaccounts and members.

    A subaccount's login sees its subaccount, and nothing of its parent or siblings. A member
    sees no balance or payment method: those are billing (docs/roles.md).
    """
    if who.role == Role.SUBACCOUNT:
        summary = podium.views.accounts.subaccount(str(who.account_id))
    else:
        summary = podium.views.accounts.account(str(who.account_id))
    if summary is None:
        raise NotFoundError("account not found")
    balance = podium.views.billing.balance(str(who.account_id))
    shown = {**summary, "balance": balance["balance"] if balance else 0, "role": str(who.role)}
    if who.role != Role.SUBACCOUNT and not has_billing_rights(who.role):
        for name in BILLING_FIELDS:
            shown.pop(name, None)
    return shown
