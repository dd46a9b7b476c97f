"""The sandbox payment gateway: deterministic test cards and PayPal accounts, no network.

Cards (any future expiry, any CVC):
    4242 4242 4242 4242   approved
    4000 0000 0000 0002   declined ("card declined")
    4000 0000 0000 9995   declined ("insufficient funds")
any other number passing the Luhn check is approved; one failing it is refused as invalid.
PayPal: any address is approved, except those whose local part starts with "decline".

Like a real gateway it tokenizes: ``register`` answers an opaque token (random, so nothing of
the number can be recovered from it), the last four digits and the brand. A real gateway keeps
what a token stands for on its side; the sandbox has no side to keep it on (it must still
answer after a restart), so its token carries the *outcome* the test card was chosen for,
never the number: ``sbx_card_<outcome>_<random>``.

Tokens written before tokenization embedded the number (``sandbox_card_4242...``); the
PaymentMethodSet upcaster turns those into ``sandbox_card_legacy<last4>`` on read, which the
sandbox still charges, deciding by the last four digits (0002 and 9995 decline as above).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading

from commands.ports import PaymentMethod, PaymentResult
from domain.cards import MAX_DIGITS, MIN_DIGITS, brand_of, luhn_valid
from domain.errors import InvalidRequestError
from domain.money import Money

DECLINING_CARDS = {"4000000000000002": "declined", "4000000000009995": "nofunds"}
REASONS = {"approved": "", "declined": "card declined", "nofunds": "insufficient funds"}
LEGACY_DECLINING = {"0002": "declined", "9995": "nofunds"}  # by last four digits
CARD_TOKEN = re.compile(r"^sbx_card_(approved|declined|nofunds)_[0-9a-f]{24}$")
LEGACY_CARD_TOKEN = re.compile(r"^sandbox_card_legacy([0-9]{4})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PAYPAL_DECLINED = "PayPal declined the payment"


class SandboxGateway:
    """An in-process gateway with deterministic outcomes, idempotent per key."""

    def __init__(self) -> None:
        self._results: dict[str, PaymentResult] = {}
        self._lock = threading.Lock()
        self.charged: list[tuple[str, Money]] = []  # what moved, for tests to inspect

    def register(self, kind: str, details: dict[str, str]) -> PaymentMethod:
        if kind == "card":
            number = re.sub(r"[\s-]", "", details.get("number", ""))
            if (
                not number.isdigit()
                or not MIN_DIGITS <= len(number) <= MAX_DIGITS
                or not luhn_valid(number)
            ):
                raise InvalidRequestError("the card number is not valid")
            outcome = DECLINING_CARDS.get(number, "approved")
            token = f"sbx_card_{outcome}_{secrets.token_hex(12)}"
            last4 = number[-4:]
            return PaymentMethod("card", token, f"card ending {last4}", last4, brand_of(number))
        if kind == "paypal":
            email = details.get("email", "").strip().lower()
            if not _EMAIL.match(email):
                raise InvalidRequestError("the PayPal account must be an email address")
            outcome = "declined" if email.startswith("decline") else "approved"
            token = f"sbx_paypal_{outcome}_{secrets.token_hex(12)}"
            return PaymentMethod("paypal", token, f"PayPal {email}")
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
        token = method.token
        if method.kind == "card":
            if match := CARD_TOKEN.match(token):
                return REASONS[match.group(1)]
            if match := LEGACY_CARD_TOKEN.match(token):
                return REASONS[LEGACY_DECLINING.get(match.group(1), "approved")]
            return "the card is not known to this gateway"
        if token.startswith("sbx_paypal_"):
            return _PAYPAL_DECLINED if token.startswith("sbx_paypal_declined_") else ""
        # A PayPal token from before tokenization: the address itself (no card number in it).
        if token.removeprefix("sandbox_paypal_").startswith("decline"):
            return _PAYPAL_DECLINED
        return ""
