"""The scheduler's due-job: renewals, trial expiry and closures, each exactly once."""

from __future__ import annotations

from datetime import timedelta

from commands.unit_of_work import Outcome
from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.payments import SandboxGateway
from tests.integration.scenario import paying_account
from workers.scheduler import run_due


def test_due_job_renews_expires_and_closes(podium: Podium, clock: ManualClock) -> None:
    """After a month: the paid account renews, the trial expires, the cancelled one closes."""
    renewing = paying_account(podium, "renews@example.com")
    cancelled = paying_account(podium, "leaves@example.com")
    trial = podium.accounts.sign_up("Trial", "tries@example.com", "password1", False, None)
    podium.billing.cancel(cancelled)
    clock.advance(timedelta(days=31))
    due = run_due(podium)
    assert set(due) == {str(renewing), str(cancelled), str(trial.body["account_id"])}
    statuses = {
        account_id: podium.views.accounts.account(account_id)["status"]  # type: ignore[index]
        for account_id in due
    }
    assert statuses[str(renewing)] == "active"
    assert statuses[str(cancelled)] == "closed"
    assert statuses[str(trial.body["account_id"])] == "trial_expired"
    renewed = podium.views.accounts.account(str(renewing))
    assert renewed is not None
    assert renewed["period_start"] == "2026-11-15T09:00:00+00:00"


def test_running_the_due_job_twice_charges_once(
    podium: Podium, clock: ManualClock, gateway: SandboxGateway
) -> None:
    """A second run (or a second scheduler) finds nothing due and charges nothing."""
    account_id = paying_account(podium, "once@example.com")
    clock.advance(timedelta(days=31))
    payments = len(gateway.charged)
    assert run_due(podium) == [str(account_id)]
    assert run_due(podium) == []
    assert len(gateway.charged) == payments + 1
    closed_history = podium.views.billing.history(str(account_id))
    assert [e["kind"] for e in closed_history[:2]] == ["card_payment", "plan"]


def test_a_cancelled_account_is_never_charged_again(
    podium: Podium, clock: ManualClock, gateway: SandboxGateway
) -> None:
    """Cancelling means no later charges: months of due-jobs leave the ledger unchanged."""
    account_id = paying_account(podium, "gone@example.com")
    podium.billing.cancel(account_id)
    podium.projector.catch_up()
    entries = podium.views.billing.balance(str(account_id))
    payments = len(gateway.charged)
    for _ in range(3):
        clock.advance(timedelta(days=31))
        run_due(podium)
    assert podium.views.billing.balance(str(account_id)) == entries
    assert len(gateway.charged) == payments


def test_a_declined_renewal_leaves_the_account_past_due_until_funds_cover_it(
    podium: Podium, clock: ManualClock
) -> None:
    """The renewal is owed (negative balance) and the account past due; a top-up settles it."""
    account_id = paying_account(podium, "broke@example.com")
    podium.billing.set_payment_method(account_id, "card", {"number": "4000000000009995"})
    clock.advance(timedelta(days=31))
    assert run_due(podium) == [str(account_id)]
    account = podium.views.accounts.account(str(account_id))
    balance = podium.views.billing.balance(str(account_id))
    assert account is not None
    assert balance is not None
    assert account["status"] == "past_due"
    assert balance["balance"] == -3000
    podium.billing.set_payment_method(account_id, "card", {"number": "4242424242424242"})
    assert podium.billing.add_funds(account_id, 3000).outcome == Outcome.DONE
    podium.projector.catch_up()
    settled = podium.views.accounts.account(str(account_id))
    assert settled is not None
    assert settled["status"] == "active"
