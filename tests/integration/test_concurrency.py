"""Concurrent writers: no lost updates, and a retried request never does anything twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

from commands.unit_of_work import Idempotency, Outcome, Result
from podium.bootstrap import Podium
from podium.payments import SandboxGateway
from tests.integration.scenario import paying_account

THREADS = 6


def test_parallel_top_ups_on_one_account_all_land(podium: Podium) -> None:
    """Top-ups racing on one ledger retry on conflict; the balance is their exact sum."""
    account_id = paying_account(podium, "busy@example.com")
    amounts = [100 * (n + 1) for n in range(24)]
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(lambda a: podium.billing.add_funds(account_id, a), amounts))
    assert all(r.outcome == Outcome.DONE for r in results)
    podium.projector.catch_up()
    balance = podium.views.billing.balance(str(account_id))
    assert balance is not None
    assert balance["balance"] == sum(amounts)
    history = podium.views.billing.history(str(account_id), limit=500)
    assert sorted(e["amount"] for e in history if e["kind"] == "top_up") == amounts


def test_racing_retries_with_one_key_charge_once(podium: Podium, gateway: SandboxGateway) -> None:
    """The same Idempotency-Key sent six times at once moves money once; all get one answer."""
    account_id = paying_account(podium, "retry@example.com")
    charged_before = len(gateway.charged)
    key = Idempotency("login:x", "top-up-1", "fingerprint-a")

    def send(_: int) -> Result:
        return podium.billing.add_funds(account_id, 2_500, key)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(send, range(THREADS)))
    assert {r.outcome for r in results} == {Outcome.DONE}
    assert len({str(r.body) for r in results}) == 1
    assert sum(not r.replayed for r in results) == 1  # one first answer, the rest replays
    assert len(gateway.charged) == charged_before + 1
    podium.projector.catch_up()
    balance = podium.views.billing.balance(str(account_id))
    assert balance is not None
    assert balance["balance"] == 2_500


def test_a_replayed_command_appends_nothing(podium: Podium) -> None:
    """Sending a key again returns the recorded answer without touching the log."""
    account_id = paying_account(podium, "again@example.com")
    key = Idempotency("login:y", "upgrade-1", "fingerprint-b")
    first = podium.billing.upgrade(account_id, "live-50", key)
    head = podium.store.recorder.max_notification_id()
    second = podium.billing.upgrade(account_id, "live-50", key)
    assert second.replayed
    assert second.body == first.body
    assert podium.store.recorder.max_notification_id() == head


def test_parallel_sign_ups_with_one_email_make_one_login(podium: Podium) -> None:
    """Only one of several racing sign-ups for an email succeeds; the others are refused."""
    email = "race@example.com"

    def sign_up(n: int) -> str:
        try:
            podium.accounts.sign_up(f"Org {n}", email, "password1", False, None)
        except Exception as error:  # the losers' refusal is what this test counts
            return type(error).__name__
        return "ok"

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(sign_up, range(THREADS)))
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} == {"RuleViolationError"}
    podium.projector.catch_up()
    logins = podium.read_store.query("SELECT account_id FROM logins WHERE email = %s", (email,))
    assert len(logins) == 1
    assert podium.views.accounts.account(str(UUID(logins[0]["account_id"]))) is not None
