"""Driving the services directly to populate a store for integration tests."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from commands.unit_of_work import Outcome
from podium.bootstrap import Podium
from podium.clock import ManualClock


def paying_account(podium: Podium, email: str, plan: str = "live-25") -> UUID:
    """An account with a card on file and a paid monthly plan; returns its id."""
    result = podium.accounts.sign_up("Org " + email, email, "password1", False, None)
    account_id = UUID(str(result.body["account_id"]))
    podium.billing.set_payment_method(account_id, "card", {"number": "4242424242424242"})
    assert podium.billing.subscribe(account_id, plan, "monthly").outcome == Outcome.DONE
    return account_id


def busy_month(podium: Podium, clock: ManualClock, account_id: UUID) -> None:
    """A month of typical money movements, ending with a renewal."""
    podium.billing.add_funds(account_id, 5_000)
    clock.advance(timedelta(days=8))
    podium.billing.buy_packages(account_id, 25, 2)
    podium.billing.buy_add_on(account_id, "camera_feed", 2)
    podium.billing.upgrade(account_id, "live-100")
    podium.billing.charge_dial_in(account_id, 7_250, "toll-free minutes")
    clock.advance(timedelta(days=25))
    podium.billing.renew(account_id)
