"""Money: payment method, plan changes, cancellation, funds, add-ons, packages, history.

Every route here is billing, for the account's owner only (``BillingAccess``, docs/roles.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from api.contract import problems
from api.deps import (
    BillingAccess,
    IdempotencyHeader,
    PodiumDep,
    principal_scope,
    respond,
    scoped,
)
from api.responses.accounts import AccountState, PaymentMethod
from api.responses.billing import TransactionDetail, Transactions
from api.routes.live.dial_in import cdr_rows
from api.schemas import (
    INT_MAX,
    AddOnIn,
    Downgrade,
    Funds,
    PackagesIn,
    PaymentMethodIn,
    Position,
    PromoCode,
    Subscribe,
    Upgrade,
)
from domain.dial_in import charged_session
from domain.errors import NotFoundError
from podium.bootstrap import Podium

router = APIRouter(prefix="/account", tags=["billing"])


@router.put("/payment-method", response_model=PaymentMethod)
def set_payment_method(
    body: PaymentMethodIn, who: BillingAccess, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """A card (test numbers in the README) or a PayPal account; only a token is kept."""
    details = {"number": body.number or "", "email": str(body.email or "")}
    result = podium.billing.set_payment_method(
        who.account_id, body.kind, details, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.post("/subscription", response_model=AccountState, responses=problems(402))
def subscribe(
    body: Subscribe, who: BillingAccess, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Convert the trial to a paid plan; the first period is charged now."""
    result = podium.billing.subscribe(
        who.account_id, body.plan_id, body.cycle, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.post("/upgrade", response_model=AccountState, responses=problems(402))
def upgrade(
    body: Upgrade, who: BillingAccess, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """A larger plan at once; the difference is charged for the rest of the period."""
    result = podium.billing.upgrade(
        who.account_id, body.plan_id, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.post("/downgrade", response_model=AccountState)
def downgrade(
    body: Downgrade, who: BillingAccess, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """A smaller plan or a monthly cycle from the next period; voids all promo codes."""
    result = podium.billing.downgrade(
        who.account_id, body.plan_id, body.cycle, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.post("/promo-codes", response_model=AccountState)
def apply_promo_code(
    body: PromoCode, who: BillingAccess, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    result = podium.billing.apply_promo_code(
        who.account_id, body.code, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.post("/cancellation", response_model=AccountState)
def cancel(who: BillingAccess, podium: PodiumDep, idem: IdempotencyHeader) -> JSONResponse:
    """Cancel: no refund; usable to the end of the paid period, then closed."""
    result = podium.billing.cancel(who.account_id, scoped(idem, principal_scope(who)))
    return respond(podium, result)


@router.post("/funds", response_model=AccountState, responses=problems(402))
def add_funds(
    body: Funds, who: BillingAccess, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Add funds to the balance, charged to the card on file."""
    result = podium.billing.add_funds(
        who.account_id, body.amount, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.post("/add-ons", response_model=AccountState, responses=problems(402))
def buy_add_on(
    body: AddOnIn, who: BillingAccess, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Camera feeds (up to 3), room sessions, storage, or 200 seats (100/500 plans)."""
    result = podium.billing.buy_add_on(
        who.account_id, body.add_on, body.quantity, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.post("/subaccount-packages", response_model=AccountState, responses=problems(402))
def buy_packages(
    body: PackagesIn, who: BillingAccess, podium: PodiumDep, idem: IdempotencyHeader
) -> JSONResponse:
    """Subaccount packages, prorated for the days left in the period, then monthly."""
    result = podium.billing.buy_packages(
        who.account_id, body.package_size, body.quantity, scoped(idem, principal_scope(who))
    )
    return respond(podium, result)


@router.get("/transactions", response_model=Transactions)
def transactions(
    who: BillingAccess,
    podium: PodiumDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    before: Annotated[Position | None, Query()] = None,
) -> dict[str, Any]:
    """The transaction history, most recent first, each entry with the balance after it."""
    entries = podium.views.billing.history(str(who.account_id), limit, before)
    balance = podium.views.billing.balance(str(who.account_id))
    return {"balance": balance["balance"] if balance else 0, "currency": "USD", "entries": entries}


def dial_in_details(podium: Podium, account_id: str, reference: str) -> dict[str, Any] | None:
    """What a toll-free charge paid for: the session's toll-free calls (numbers used, minutes,
    cost) and, for the account's own room, where its CDR is. None for any other entry."""
    charged = charged_session(reference)
    if charged is None:
        return None
    room_id, session = charged
    calls = [c for c in podium.views.dial_in_calls.calls(room_id, session) if c["toll_free"]]
    minutes, cost = podium.views.dial_in_calls.toll_free_cost(room_id, session)
    room = podium.views.rooms.room(room_id)
    own = room is not None and room["account_id"] == account_id
    return {
        "room_id": room_id,
        "room_name": room["name"] if room else None,
        "session": session,
        "toll_free_minutes": minutes,
        "toll_free_cost": cost,
        "calls": cdr_rows(calls),
        "cdr": f"/rooms/{room_id}/sessions/{session}/cdr" if own else None,
    }


@router.get("/transactions/{sequence}", response_model=TransactionDetail, responses=problems(404))
def transaction(
    sequence: Annotated[int, Path(ge=1, le=INT_MAX, description="the entry's sequence")],
    who: BillingAccess,
    podium: PodiumDep,
) -> dict[str, Any]:
    """One entry of the transaction history with its details: a toll-free dial-in charge
    shows the phone numbers attendees called from, the numbers they dialled, each call's
    minutes and cost, and the session's CDR (`details`; null for other entries)."""
    entry = podium.views.billing.entry(str(who.account_id), sequence)
    if entry is None:
        raise NotFoundError(f"no transaction {sequence} in this account's history")
    details = dial_in_details(podium, str(who.account_id), entry["reference"])
    return {**entry, "details": details}
