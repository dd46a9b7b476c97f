"""Turning charges into ledger entries and card payments: the one place money moves."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from commands.ports import PaymentGateway, PaymentMethod
from commands.unit_of_work import UnitOfWork
from domain.account import Account
from domain.charges import Charge
from domain.errors import RuleViolationError
from domain.ledger import Ledger
from domain.money import Money


class OnDecline(Enum):
    """What a declined card means for the charges that caused it."""

    REFUSE = "refuse"  # the purchase does not happen; only the decline is recorded
    OWE = "owe"  # the charges stand (a renewal); the balance goes negative: money owed


class PaymentRequiredError(RuleViolationError):
    """No payment method on file for a command that needs one."""


def payment_method(account: Account) -> PaymentMethod:
    if account.payment_method is None:
        raise PaymentRequiredError("add a card or PayPal account before buying anything")
    return PaymentMethod(**account.payment_method)


def ledger_of(unit: UnitOfWork, account: Account) -> Ledger:
    return unit.get(Ledger, Ledger.id_for(account.id), "ledger")


def collect(
    unit: UnitOfWork,
    gateway: PaymentGateway,
    account: Account,
    charges: Sequence[Charge],
    on_decline: OnDecline,
    reference: str,
    payment_key: str | None = None,
) -> str:
    """Record ``charges`` and take their total from the card; return "" if paid, else why not.

    With REFUSE, a decline records only the declined attempt; the caller discards the change.
    With OWE, the charges are recorded whatever the card says. The gateway sees one key per
    (command, reference), so a retried command never charges twice; scheduled charges pass a
    ``payment_key`` derived from what they charge for, as their runs carry no client key.
    """
    ledger = ledger_of(unit, account)
    total = sum((c.amount for c in charges), Money(0, ledger.currency))
    if total.amount == 0:
        for charge in charges:
            ledger.record(charge.kind, -charge.amount, charge.description, reference, unit.now)
        return ""
    method = payment_method(account)
    description = "; ".join(c.description for c in charges)
    result = gateway.charge(
        method, total, description, payment_key or f"{unit.payment_key}:{reference}"
    )
    if result.approved or on_decline is OnDecline.OWE:
        for charge in charges:
            ledger.record(charge.kind, -charge.amount, charge.description, reference, unit.now)
    if result.approved:
        ledger.record("card_payment", total, f"paid by {method.label}", result.reference, unit.now)
    else:
        declined = f"{method.label} declined {total}: {result.reason}"
        ledger.record("payment_declined", Money(0, total.currency), declined, reference, unit.now)
        return declined
    return ""
