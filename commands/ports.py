"""What the write side needs from the outside world, as protocols the composition root fills."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.money import Money


class Clock(Protocol):
    def now(self) -> datetime: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


@dataclass(frozen=True)
class PaymentMethod:
    """A gateway's token for a card or a PayPal account, and a label safe to show."""

    kind: str  # "card" or "paypal"
    token: str
    label: str


@dataclass(frozen=True)
class PaymentResult:
    """The gateway's answer to one charge."""

    approved: bool
    reference: str
    reason: str = ""


class PaymentGateway(Protocol):
    """Takes money from a customer's card or PayPal account.

    ``charge`` must be idempotent on ``idempotency_key``: the same key returns the first result
    and moves no more money, so a retried command never charges twice.
    """

    def register(self, kind: str, details: dict[str, str]) -> PaymentMethod:
        """Validate card or PayPal details and return a token (InvalidRequestError if bad)."""
        ...

    def charge(
        self, method: PaymentMethod, amount: Money, description: str, idempotency_key: str
    ) -> PaymentResult: ...
