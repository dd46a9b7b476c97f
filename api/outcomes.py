"""The one mapping from a command's ``Outcome`` to HTTP, for the panel and /v1 alike.

Commands answer in their own terms (``commands.unit_of_work.Outcome``); only api/ knows status
codes. A refusal's body is ``{"detail": ...}``; its problem+json shape (title, type) is here.
"""

from __future__ import annotations

from typing import Any

from commands.unit_of_work import Outcome

STATUS: dict[Outcome, int] = {
    Outcome.DONE: 200,
    Outcome.CREATED: 201,
    Outcome.ACCEPTED: 202,
    Outcome.CREDENTIALS_REFUSED: 401,
    Outcome.PAYMENT_DECLINED: 402,
}

# What a refusal's problem+json says besides its status and detail (default: about:blank and
# the status's title).
PROBLEM_SHAPE: dict[Outcome, dict[str, Any]] = {
    Outcome.PAYMENT_DECLINED: {"title": "Payment declined", "type": "payment-declined"},
}


def http_status(outcome: Outcome) -> int:
    """The HTTP status an outcome is answered with."""
    return STATUS[outcome]
