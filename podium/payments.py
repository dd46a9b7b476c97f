"""The sandbox payment gateway: deterministic test cards and PayPal accounts, no network.

Cards (any future expiry, any CVC):
    4242 4242 4242 4242   approved
    4000 0000 0000 0002   declined ("card declined")
    4000 0000 0000 9995   declined ("insufficient funds")
any other number passing the Luhn check is approved; one failing it is refused as invalid.
PayPal: any address is approved, except those whose local part starts with "decline".
"""

from __future__ import annotations

import hashlib
import re
import threading

from commands.ports import PaymentMethod, PaymentResult
from domain.errors import InvalidRequestError
from domain.money import Money

DECLINING_CARDS = {"4000000000000002": "card declined", "4000000000009995": "insufficient funds"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


class SandboxGateway:
    """An in-process gateway with deterministic outcomes, idempotent per key."""

    def __init__(self) -> None:
        self._results: dict[str, PaymentResult] = {}
        self._lock = threading.Lock()
        self.charged: list[tuple[str, Money]] = []  # what moved, for tests to inspect

    def register(self, kind: str, details: dict[str, str]) -> PaymentMethod:
        if kind == "card":
            number = re.sub(r"[\s-]", "", details.get("number", ""))
            if not number.isdigit() or not 12 <= len(number) <= 19 or not luhn_valid(number):
                raise InvalidRequestError("the card number is not valid")
            return PaymentMethod("card", f"sandbox_card_{number}", f"card ending {number[-4:]}")
        if kind == "paypal":
            email = details.get("email", "").strip().lower()
            if not _EMAIL.match(email):
                raise InvalidRequestError("the PayPal account must be an email address")
            return PaymentMethod("paypal", f"sandbox_paypal_{email}", f"PayPal {email}")
        raise InvalidRequestError(f"unknown payment method {kind!r}; use card or paypal")

    def charge(
        self, method: PaymentMethod, amount: Money, description: str, idempotency_key: str
    ) -> PaymentResult:
        with self._lock:
            if idempotency_key in self._results:
                return self._results[idempotency_key]
            reference = "sbx_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]
            reason = self._decline_reason(method)
            result = PaymentResult(approved=not reason, reference=reference, reason=reason)
            self._results[idempotency_key] = result
            if result.approved:
                self.charged.append((method.token, amount))
            return result

    @staticmethod
    def _decline_reason(method: PaymentMethod) -> str:
        if method.kind == "card":
            return DECLINING_CARDS.get(method.token.removeprefix("sandbox_card_"), "")
        if method.token.removeprefix("sandbox_paypal_").startswith("decline"):
            return "PayPal declined the payment"
        return ""
