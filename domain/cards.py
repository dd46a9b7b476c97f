"""Card numbers: what Podium may know of one, and how to tell a digit run that could be one.

Podium never keeps a card number (PAN): the payment gateway takes it and answers a token and the
last four digits. These pure functions are shared by the gateway (validation, brand), by the
upcaster that scrubs numbers from events stored before tokenization, and by every renderer that
turns stored text into something shown (it masks anything that looks like a card number).
"""

from __future__ import annotations

import re
from typing import Any

# A card number is 12 to 19 digits; shown text is checked for 13 to 19 (12-digit numbers are
# rare and match too many ordinary figures), possibly grouped by single spaces or dashes.
MIN_DIGITS, MAX_DIGITS = 12, 19
SHOWN_MIN, SHOWN_MAX = 13, 19
# A run stands apart from letters: digits inside a hex digest or an id are not a card number
# (and "sandbox_card_4242...", "ann.4242...@example.com" still count).
# Runs of at least 13 digits only: a shorter one holds no card number, and amounts and counts
# (most runs) then never reach the Python check.
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ -]?[0-9]){12,}(?![0-9A-Za-z])")
_EMBEDDED = re.compile(r"[0-9]{12,19}")
# Brands by prefix: enough to label a card; the gateway is the authority on what it accepts.
_BRANDS = (
    ("4", "visa"),
    ("34", "amex"),
    ("37", "amex"),
    ("51", "mastercard"),
    ("52", "mastercard"),
    ("53", "mastercard"),
    ("54", "mastercard"),
    ("55", "mastercard"),
    ("2", "mastercard"),
    ("6", "discover"),
)


def luhn_valid(number: str) -> bool:
    """The check digit of a card number (all digits, no separators) is right."""
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


def brand_of(number: str) -> str:
    """The card's brand from its leading digits ("visa", "mastercard", ...; "card" if unknown)."""
    return next((brand for prefix, brand in _BRANDS if number.startswith(prefix)), "card")


def _card_in(run: str) -> str | None:
    """The card number a run of digits groups holds, if any: whole groups (split at single
    spaces or dashes) adding up to 13-19 digits that pass the Luhn check. "4242 4242 4242 4242
    12 28" holds one; a contiguous run is one group, so it must be the number itself."""
    groups = re.split(r"[ -]", run)
    for first in range(len(groups)):
        digits = ""
        for group in groups[first:]:
            digits += group
            if len(digits) > SHOWN_MAX:
                break
            if len(digits) >= SHOWN_MIN and luhn_valid(digits):
                return digits
    return None


def card_numbers_in(text: str) -> list[str]:
    """The card numbers ``text`` may hold: in each run of digits (single spaces or dashes
    between groups allowed), whole groups of 13 to 19 digits that pass the Luhn check."""
    return [card for m in _DIGIT_RUN.finditer(text) if (card := _card_in(m.group()))]


def mask_card_numbers(text: str) -> str:
    """``text`` with every digit run that may hold a card number replaced by ``card ending
    NNNN`` (the last four digits of the number found)."""

    def mask(match: re.Match[str]) -> str:
        card = _card_in(match.group())
        return f"card ending {card[-4:]}" if card else match.group()

    return _DIGIT_RUN.sub(mask, text)


def scrub_token(token: str) -> tuple[str, str, str]:
    """A token written before tokenization, with any embedded card number taken out: the
    number is replaced by ``legacy`` and its last four digits; returns (token, last4, brand).

    Only the sandbox ever put a number in a token (``sandbox_card_4242...``); any other token
    comes back unchanged, with ``""`` for last4 and brand.
    """
    match = _EMBEDDED.search(token)
    if match is None:
        return token, "", ""
    number = match.group()
    scrubbed = token[: match.start()] + "legacy" + number[-4:] + token[match.end() :]
    return scrubbed, number[-4:], brand_of(number)


def without_card_number(method: dict[str, Any]) -> dict[str, Any]:
    """A payment method recorded before tokenization (``kind``, ``token``, ``label``), as it
    is recorded now: the token scrubbed, the label masked, ``last4`` and ``brand`` added."""
    token, last4, brand = scrub_token(method["token"])
    label = mask_card_numbers(method["label"])
    return {**method, "token": token, "label": label, "last4": last4, "brand": brand}
