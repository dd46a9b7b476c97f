"""Card numbers: telling one in text, masking it, scrubbing it out of an old token, and the
sandbox gateway's tokens, which carry no number."""

from __future__ import annotations

import re

import pytest

from commands.ports import PaymentMethod
from domain.cards import brand_of, card_numbers_in, luhn_valid, mask_card_numbers, scrub_token
from domain.errors import InvalidRequestError
from domain.money import Money
from podium.payments import SandboxGateway

APPROVED, DECLINED, NO_FUNDS = "4242424242424242", "4000000000000002", "4000000000009995"


def test_luhn_tells_test_cards_from_near_misses() -> None:
    """The sandbox's test numbers pass the Luhn check; one changed digit fails it."""
    assert all(luhn_valid(n) for n in (APPROVED, DECLINED, NO_FUNDS, "378282246310005"))
    assert not luhn_valid("4242424242424241")


@pytest.mark.parametrize(
    "text",
    [
        f"token=sandbox_card_{APPROVED}",
        "card 4000 0000 0000 0002 on file",
        "4000-0000-0000-9995",
        "pay 4242 4242 4242 4242 12 28",  # followed by an expiry, in one digit run
        "amex 378282246310005",
    ],
)
def test_a_card_number_is_found_and_masked_wherever_it_sits(text: str) -> None:
    """A Luhn-valid run of 13-19 digits is found, grouped or not, and masked to its last 4."""
    [found] = card_numbers_in(text)
    masked = mask_card_numbers(text)
    assert card_numbers_in(masked) == []
    assert f"card ending {found[-4:]}" in masked
    assert re.sub(r"\D", "", found) not in re.sub(r"\D", "", masked)


@pytest.mark.parametrize(
    "text",
    [
        "Account.Opened: name=Acme, at=2026-12-01 10:00:00+00:00",
        "amount=-3000, balance_after=12000, sequence=7",
        "room_id=5f3c1e2a-1b2c-4d5e-8f90-123456789012",
        "4242424242424241",  # 16 digits, fails Luhn
        "phone +48 22 123 45 67",
        "hash=9f4242424242424242e1c0",  # digits inside a hex digest
    ],
)
def test_ordinary_figures_are_left_alone(text: str) -> None:
    """Dates, amounts, ids, digests and phone numbers are not taken for card numbers."""
    assert card_numbers_in(text) == []
    assert mask_card_numbers(text) == text


def test_scrub_token_replaces_an_embedded_number_by_its_last_four() -> None:
    """An old sandbox token loses its number and keeps last4 and brand; others are unchanged."""
    assert scrub_token(f"sandbox_card_{DECLINED}") == ("sandbox_card_legacy0002", "0002", "visa")
    assert scrub_token("tok_live_abc") == ("tok_live_abc", "", "")
    assert scrub_token("sandbox_paypal_ann@example.com")[0] == "sandbox_paypal_ann@example.com"


def test_brand_comes_from_the_leading_digits() -> None:
    """Visa, Mastercard and American Express are told apart; an unknown prefix is a card."""
    assert [brand_of(n) for n in (APPROVED, "5555555555554444", "378282246310005", "9")] == [
        "visa",
        "mastercard",
        "amex",
        "card",
    ]


def test_the_gateway_answers_an_opaque_token_last4_and_brand() -> None:
    """Registering a card gives a random token with no digit of the number, last4 and brand;
    the same number twice gives two different tokens."""
    gateway = SandboxGateway()
    first = gateway.register("card", {"number": "4242 4242 4242 4242"})
    second = gateway.register("card", {"number": APPROVED})
    assert (first.kind, first.last4, first.brand, first.label) == (
        "card",
        "4242",
        "visa",
        "card ending 4242",
    )
    assert first.token != second.token
    for method in (first, second):
        assert "4242" not in method.token
        assert card_numbers_in(method.token) == []


@pytest.mark.parametrize(
    ("number", "reason"),
    [(APPROVED, ""), (DECLINED, "card declined"), (NO_FUNDS, "insufficient funds")],
)
def test_charging_through_the_token_keeps_the_test_cards_outcomes(number: str, reason: str) -> None:
    """4242... is approved, ...0002 declined, ...9995 insufficient funds, through the token."""
    gateway = SandboxGateway()
    method = gateway.register("card", {"number": number})
    result = gateway.charge(method, Money(1_000, "USD"), "top-up", f"key-{number}")
    assert (result.approved, result.reason) == (not reason, reason)


@pytest.mark.parametrize(
    ("number", "reason"),
    [(APPROVED, ""), (DECLINED, "card declined"), (NO_FUNDS, "insufficient funds")],
)
def test_a_scrubbed_old_token_still_charges_as_its_card_did(number: str, reason: str) -> None:
    """A token from before tokenization, upcast to ``legacy<last4>``, keeps its outcome."""
    token, last4, brand = scrub_token(f"sandbox_card_{number}")
    method = PaymentMethod("card", token, f"card ending {last4}", last4, brand)
    result = SandboxGateway().charge(method, Money(500, "USD"), "renewal", "k")
    assert (result.approved, result.reason) == (not reason, reason)


def test_a_token_the_gateway_never_issued_is_declined() -> None:
    """A card token of unknown shape is declined, not charged."""
    result = SandboxGateway().charge(
        PaymentMethod("card", "tok_forged", "card ending 0000"), Money(1, "USD"), "x", "k"
    )
    assert not result.approved


def test_paypal_tokens_carry_no_address_and_keep_their_outcome() -> None:
    """PayPal gets an opaque token too; a "decline..." address is still declined."""
    gateway = SandboxGateway()
    fine = gateway.register("paypal", {"email": "Ann@Example.com"})
    refused = gateway.register("paypal", {"email": "declined@example.com"})
    assert "ann" not in fine.token
    assert fine.label == "PayPal ann@example.com"
    assert gateway.charge(fine, Money(1, "USD"), "x", "a").approved
    assert not gateway.charge(refused, Money(1, "USD"), "x", "b").approved


def test_an_invalid_number_is_refused() -> None:
    """A number failing the Luhn check is refused before any token exists."""
    with pytest.raises(InvalidRequestError):
        SandboxGateway().register("card", {"number": "4242424242424241"})
