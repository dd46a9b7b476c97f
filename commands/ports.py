"""What the write side needs from the outside world, as protocols the composition root fills."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.client import Device
from domain.money import Money


class Clock(Protocol):
    def now(self) -> datetime: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


@dataclass(frozen=True)
class PaymentMethod:
    """A gateway's token for a card or a PayPal account, and what is safe to show of it.

    The token is opaque: the gateway made it up and keeps what it stands for; nothing of the
    card number can be recovered from it. ``last4`` and ``brand`` are all Podium knows of a card
    (both "" for PayPal).
    """

    kind: str  # "card" or "paypal"
    token: str
    label: str
    last4: str = ""
    brand: str = ""


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
        """Validate card or PayPal details and tokenize them (InvalidRequestError if bad).

        The card number goes to the gateway and no further: the answer carries an opaque token,
        the last four digits and the brand, and only those may be stored.
        """
        ...

    def charge(
        self, method: PaymentMethod, amount: Money, description: str, idempotency_key: str
    ) -> PaymentResult: ...


class DeviceReader(Protocol):
    """Reads a User-Agent header: browser, operating system and kind of device.

    Asked when a join is written, so the event records the answer (decision 0027).
    """

    def read(self, user_agent: str) -> Device: ...


class CountryLookup(Protocol):
    """The country (ISO 3166-1 alpha-2) an IP address is registered in, or None if unknown
    (private, reserved, malformed). Asked when a join is written (decision 0027)."""

    def country(self, ip: str) -> str | None: ...


class CommandMetrics(Protocol):
    """Where the command runner reports each command it ran (``podium.metrics``)."""

    def command_ran(self, name: str, outcome: str, seconds: float) -> None: ...

    def command_failed(self, name: str, error: str, seconds: float) -> None: ...
