"""Billing: plans, payment methods, funds, add-ons, promo codes, renewals, dial-in charges."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.payments import OnDecline, collect, ledger_of, payment_method
from commands.ports import PaymentGateway
from commands.subaccounts import end_subaccount
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.account import Account, Status
from domain.charges import Charge
from domain.dial_in import charge_reference
from domain.errors import InvalidRequestError
from domain.ledger import Ledger
from domain.money import Money
from domain.plans import PROMO_CODES, AddOn, BillingCycle, plan_by_id
from domain.subaccount import Subaccount

MAX_TOP_UP = Money(1_000_000)  # $10,000 in one payment


def account_state(account: Account, **extra: Any) -> dict[str, Any]:
    """The account as command results show it (the full view is the account projection)."""
    return {
        "account_id": str(account.id),
        "status": str(account.status),
        "plan_id": account.plan_id,
        "cycle": str(account.cycle) if account.cycle else None,
        "period_end": account.period_end.isoformat() if account.period_end else None,
        "scheduled_plan_id": account.scheduled_plan_id,
        **extra,
    }


def payment_declined(detail: str) -> Result:
    """The card was declined: the attempt is in the ledger, nothing else changed (an answer,
    not an exception, so the attempt commits)."""
    return Result(Outcome.PAYMENT_DECLINED, {"detail": detail})


def charged(charges: list[Charge]) -> int:
    return sum(c.amount.amount for c in charges)


def parse_cycle(cycle: str) -> BillingCycle:
    try:
        return BillingCycle(cycle)
    except ValueError:
        raise InvalidRequestError(f"cycle must be monthly or annual, not {cycle!r}") from None


class Billing:
    """Everything that changes what an account pays or has paid."""

    def __init__(self, runner: CommandRunner, gateway: PaymentGateway) -> None:
        self.runner = runner
        self.gateway = gateway

    @staticmethod
    def paying(account_id: UUID) -> tuple[UUID, UUID]:
        """What a command that charges or credits loads: the account and its ledger."""
        return account_id, Ledger.id_for(account_id)

    def set_payment_method(
        self, account_id: UUID, kind: str, details: dict[str, str], idem: Idempotency | None = None
    ) -> Result:
        method = self.gateway.register(kind, details)

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            account.set_payment_method(
                method.kind, method.token, method.label, unit.now, method.last4, method.brand
            )
            return Result(Outcome.DONE, {"kind": method.kind, "label": method.label})

        return self.runner.run(command, idem, (account_id,))

    def subscribe(
        self, account_id: UUID, plan_id: str, cycle: str, idem: Idempotency | None = None
    ) -> Result:
        """Trial to paid: the first period is charged in full, now."""
        plan, billing_cycle = plan_by_id(plan_id), parse_cycle(cycle)

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            payment_method(account)
            charges = account.subscribe(plan, billing_cycle, unit.now)
            return self._purchase(unit, account, charges, "subscription")

        return self.runner.run(command, idem, self.paying(account_id))

    def upgrade(self, account_id: UUID, plan_id: str, idem: Idempotency | None = None) -> Result:
        """A larger plan at once, the difference prorated for the rest of the period."""
        plan = plan_by_id(plan_id)

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            return self._purchase(unit, account, account.upgrade(plan, unit.now), "upgrade")

        return self.runner.run(command, idem, self.paying(account_id))

    def downgrade(
        self, account_id: UUID, plan_id: str, cycle: str, idem: Idempotency | None = None
    ) -> Result:
        """A smaller plan or shorter cycle from the next period; promo codes are voided."""
        plan, billing_cycle = plan_by_id(plan_id), parse_cycle(cycle)

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            effective = account.downgrade(plan, billing_cycle, unit.now)
            return Result(Outcome.DONE, account_state(account, effective=effective.isoformat()))

        return self.runner.run(command, idem, (account_id,))

    def apply_promo_code(
        self, account_id: UUID, code: str, idem: Idempotency | None = None
    ) -> Result:
        normalized = code.strip().upper()
        if normalized not in PROMO_CODES:
            raise InvalidRequestError(f"unknown promo code {code!r}")

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            account.apply_promo_code(normalized, PROMO_CODES[normalized], unit.now)
            return Result(
                Outcome.DONE, account_state(account, promo_codes=dict(account.promo_codes))
            )

        return self.runner.run(command, idem, (account_id,))

    def cancel(self, account_id: UUID, idem: Idempotency | None = None) -> Result:
        """No refund; usable to the end of the paid period, then closed, no later charges."""

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            account.cancel(unit.now)
            ends = account.ends_at.isoformat() if account.ends_at else unit.now.isoformat()
            return Result(Outcome.DONE, account_state(account, usable_until=ends))

        return self.runner.run(command, idem, (account_id,))

    def add_funds(self, account_id: UUID, amount: int, idem: Idempotency | None = None) -> Result:
        """Top up the balance from the card; a past-due account it brings to zero is active."""
        if amount <= 0 or amount > MAX_TOP_UP.amount:
            raise InvalidRequestError(
                f"amount must be between 1 and {MAX_TOP_UP.amount} cents, not {amount}"
            )

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            method = payment_method(account)
            ledger = ledger_of(unit, account)
            money = Money(amount, ledger.currency)
            key = f"{unit.payment_key}:top-up"
            result = self.gateway.charge(method, money, "account balance top-up", key)
            if not result.approved:
                reason = f"{method.label} declined {money}: {result.reason}"
                ledger.record("payment_declined", Money(0), reason, "top-up", unit.now)
                return payment_declined(reason)
            ledger.record(
                "top_up", money, f"funds added by {method.label}", result.reference, unit.now
            )
            if ledger.balance >= 0:
                account.record_payment_outcome(True, unit.now)
            return Result(Outcome.DONE, account_state(account, balance=ledger.balance))

        return self.runner.run(command, idem, self.paying(account_id))

    def buy_add_on(
        self, account_id: UUID, add_on: str, quantity: int, idem: Idempotency | None = None
    ) -> Result:
        try:
            kind = AddOn(add_on)
        except ValueError:
            names = ", ".join(a.value for a in AddOn)
            raise InvalidRequestError(f"unknown add-on {add_on!r}; add-ons are: {names}") from None

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            charges = account.buy_add_on(kind, quantity, unit.now)
            return self._purchase(unit, account, charges, f"add-on {kind}")

        return self.runner.run(command, idem, self.paying(account_id))

    def buy_packages(
        self, account_id: UUID, size: int, quantity: int, idem: Idempotency | None = None
    ) -> Result:
        """Subaccount packages: prorated for the days left in the period, then monthly."""

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            charges = account.buy_packages(size, quantity, unit.now)
            return self._purchase(unit, account, charges, "subaccount packages")

        return self.runner.run(command, idem, self.paying(account_id))

    def charge_dial_in(
        self,
        account_id: UUID,
        amount: int,
        description: str,
        idem: Idempotency | None = None,
        session: tuple[UUID, int] | None = None,
    ) -> Result:
        """Toll-free minutes at the end of an event: from the balance, the rest from the card.
        ``session`` (room id, number) is named in the entries' reference, so the transaction
        history can show which calls were paid for."""
        balance_ref, card_ref = (
            (charge_reference(*session), charge_reference(*session, by_card=True))
            if session is not None
            else ("dial-in", "dial-in-card")
        )
        if amount <= 0:
            raise InvalidRequestError("a dial-in charge must be positive")

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            ledger = ledger_of(unit, account)
            covered = min(max(ledger.balance, 0), amount)
            if covered:
                # Taken from the balance alone: ``collect`` would take it from the card too.
                ledger.record(
                    "dial_in",
                    -Money(covered, ledger.currency),
                    f"{description} (from balance)",
                    balance_ref,
                    unit.now,
                )
            if amount > covered:
                rest = Charge("dial_in", Money(amount - covered), f"{description} (by card)")
                declined = collect(unit, self.gateway, account, [rest], OnDecline.OWE, card_ref)
                account.record_payment_outcome(not declined, unit.now)
            return Result(Outcome.DONE, account_state(account, balance=ledger.balance))

        return self.runner.run(command, idem, self.paying(account_id))

    def renew(self, account_id: UUID) -> Result:
        """What the scheduler does when an account is due: expire, close or renew it."""

        def command(unit: UnitOfWork) -> Result:
            account = unit.get(Account, account_id, "account")
            if not account.is_due(unit.now):
                return Result(Outcome.DONE, account_state(account, renewed=False))
            ending = list(account.cancelling_subaccounts)
            period_end = account.period_end
            charges = account.renew(unit.now)
            if account.status == Status.CLOSED:
                ending = list(account.subaccounts)
            for sub_id in ending:
                end_subaccount(unit, unit.get(Subaccount, UUID(sub_id), "subaccount"))
            if charges:
                reference = f"renewal {period_end.date() if period_end else ''}"
                key = f"renewal:{account.id}:{period_end.isoformat() if period_end else ''}"
                declined = collect(
                    unit, self.gateway, account, charges, OnDecline.OWE, reference, key
                )
                account.record_payment_outcome(not declined, unit.now)
            return Result(
                Outcome.DONE, account_state(account, renewed=True, charged=charged(charges))
            )

        return self.runner.run(command, None, self.paying(account_id))

    def _purchase(
        self, unit: UnitOfWork, account: Account, charges: list[Charge], what: str
    ) -> Result:
        """Charge the card for a purchase; if declined, nothing but the decline is kept."""
        declined = collect(unit, self.gateway, account, charges, OnDecline.REFUSE, what)
        if not declined:
            return Result(Outcome.DONE, account_state(account, charged=charged(charges)))
        unit.discard(account)
        return payment_declined(f"{what} not made: {declined}")
