"""Result bodies shared by the services: what the API turns into problem+json or JSON."""

from __future__ import annotations

from commands.unit_of_work import Result


def payment_declined(detail: str) -> Result:
    """402: the card was declined; the attempt is in the ledger, nothing else changed."""
    return Result(402, {"title": "Payment declined", "detail": detail, "type": "payment-declined"})
