"""Outcomes: what commands answer, the one mapping to HTTP, and records stored with a status."""

from __future__ import annotations

from typing import Any

import pytest

from api.outcomes import STATUS, http_status
from commands.unit_of_work import Outcome
from domain.idempotency import IdempotencyRecord


def test_every_outcome_has_one_status_and_only_refusals_are_errors() -> None:
    """Each Outcome maps to a status; exactly the refusals map to 4xx."""
    assert set(STATUS) == set(Outcome)
    for outcome in Outcome:
        assert (http_status(outcome) >= 400) is outcome.refused


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.DONE),
        (201, Outcome.CREATED),
        (202, Outcome.ACCEPTED),
        (401, Outcome.CREDENTIALS_REFUSED),
        (402, Outcome.PAYMENT_DECLINED),
    ],
)
def test_a_version_1_record_is_upcast_from_its_status(status: int, outcome: Outcome) -> None:
    """The v1 -> v2 upcaster replaces a record's stored status with its outcome's name."""
    state: dict[str, Any] = {"scope": "s", "key": "k", "fingerprint": "f", "status": status}
    IdempotencyRecord.Recorded.upcast_v1_v2(state)
    assert state == {"scope": "s", "key": "k", "fingerprint": "f", "outcome": str(outcome)}
    assert http_status(Outcome(state["outcome"])) == status
