"""The mailer delivers the outbox to a real SMTP server, and loses nothing while it is down."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from uuid import UUID

import pytest

from commands.unit_of_work import Outcome
from domain.mail import CLAIM_LEASE
from podium.bootstrap import Podium, bootstrap
from podium.clock import ManualClock
from podium.mail import SmtpTransport
from podium.passwords import FastTestHasher
from podium.settings import Settings
from projections.outbox.view import OutboxView
from projections.store import Row
from tests.integration.scenario import paying_account
from tests.integration.smtp import SmtpServer, free_port
from workers.mailer import deliver_due

LINK = re.compile(r"token=([\w.\-]+)")


def test_a_password_reset_link_arrives_and_works(
    podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """The reset email reaches the SMTP server; its link sets a new password once."""
    podium.accounts.sign_up("Org", "forgetful@example.com", "password1", False, None)
    podium.accounts.request_password_reset("forgetful@example.com")
    assert deliver_due(podium, transport) == 1
    [message] = smtp_server.inbox.to("forgetful@example.com")
    assert message["Subject"] == "Reset your Podium password"
    match = LINK.search(message.get_content())
    assert match is not None
    token = match.group(1)
    assert podium.accounts.set_password(token, "new-password-2").outcome == Outcome.DONE
    assert (
        podium.accounts.log_in("forgetful@example.com", "new-password-2", "pdm_x1").outcome
        == Outcome.CREATED
    )
    row = podium.views.outbox.to("forgetful@example.com")[0]
    assert row["status"] == "delivered"


def test_a_subaccount_activation_email_is_delivered(
    podium: Podium, clock: ManualClock, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """Assigning a subaccount sends its owner an activation link over SMTP."""
    parent = paying_account(podium, "parent@example.com")
    podium.billing.buy_packages(parent, 25, 1)
    podium.subaccounts.assign(parent, "Branch", "Bea", "bea@example.com", 25)
    assert deliver_due(podium, transport) == 1
    [message] = smtp_server.inbox.to("bea@example.com")
    assert "Activate your Podium login" in message["Subject"]
    assert "/activate?token=" in message.get_content()


def test_mail_waits_out_an_smtp_outage_and_is_delivered_after(
    podium: Podium, clock: ManualClock
) -> None:
    """While the server is down the message stays pending with backoff; then it arrives once."""
    port = free_port()
    transport = SmtpTransport("127.0.0.1", port, "Podium <no-reply@example.com>", timeout=2)
    podium.accounts.sign_up("Org", "patient@example.com", "password1", False, None)
    podium.accounts.request_password_reset("patient@example.com")

    assert deliver_due(podium, transport) == 0  # nobody listens on the port yet
    [row] = podium.views.outbox.to("patient@example.com")
    assert row["status"] == "pending"
    assert row["attempts"] == 1
    assert row["last_error"]
    assert deliver_due(podium, transport) == 0  # backing off: not due again yet
    assert podium.views.outbox.to("patient@example.com")[0]["attempts"] == 1

    server = SmtpServer(port)
    server.start()
    try:
        clock.advance(timedelta(seconds=31))
        assert deliver_due(podium, transport) == 1
        assert deliver_due(podium, transport) == 0
        assert len(server.inbox.to("patient@example.com")) == 1
    finally:
        server.stop()
    assert podium.views.outbox.to("patient@example.com")[0]["status"] == "delivered"


def test_backoff_doubles_between_failed_attempts(podium: Podium, clock: ManualClock) -> None:
    """Each failure pushes the next attempt further out: 30 s, then 60 s."""
    transport = SmtpTransport("127.0.0.1", free_port(), "Podium <x@example.com>", timeout=2)
    podium.accounts.sign_up("Org", "later@example.com", "password1", False, None)
    podium.accounts.request_password_reset("later@example.com")
    assert deliver_due(podium, transport) == 0  # nobody listens
    first = podium.views.outbox.to("later@example.com")[0]
    clock.advance(timedelta(seconds=31))
    assert deliver_due(podium, transport) == 0
    mail_id = UUID(first["mail_id"])
    rows = podium.read_store.query(
        "SELECT attempts, next_attempt_at FROM outbox WHERE mail_id = %s", (str(mail_id),)
    )
    assert rows[0]["attempts"] == 2
    expected = (clock.now() + timedelta(seconds=60)).isoformat()
    assert rows[0]["next_attempt_at"] == expected


def queue_resets(podium: Podium, count: int) -> list[str]:
    """``count`` password-reset messages in the outbox, one per new login; their recipients."""
    emails = [f"user{n}@example.com" for n in range(count)]
    for email in emails:
        podium.accounts.sign_up("Org", email, "password1", False, None)
        podium.accounts.request_password_reset(email)
    return emails


def test_two_deliverers_racing_over_one_outbox_send_each_message_once(
    podium: Podium,
    settings: Settings,
    clock: ManualClock,
    smtp_server: SmtpServer,
    transport: SmtpTransport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two processes' deliverers read the same pending list, then both deliver: every message
    reaches the SMTP server exactly once, and each is recorded delivered."""
    emails = queue_resets(podium, 12)
    rival = bootstrap(settings, clock=clock, hasher=FastTestHasher())  # another process's Podium
    both_have_read = threading.Barrier(2, timeout=30)

    def after_both_read(view: OutboxView) -> None:
        read = view.due

        def due(now: datetime, limit: int = 50) -> list[Row]:
            rows = read(now, limit)
            both_have_read.wait()  # neither claims before both hold the whole list
            return rows

        monkeypatch.setattr(view, "due", due)

    after_both_read(podium.views.outbox)
    after_both_read(rival.views.outbox)
    try:
        with ThreadPoolExecutor(2) as pool:
            runs = [
                pool.submit(deliver_due, side, transport, 50, name)
                for side, name in ((podium, "scheduler"), (rival, "mailer"))
            ]
            counts = [run.result(timeout=60) for run in runs]
    finally:
        rival.close()
    assert sum(counts) == len(emails)
    assert sorted(str(m["To"]) for m in smtp_server.inbox.messages) == sorted(emails)
    podium.projector.catch_up()
    assert {podium.views.outbox.to(e)[0]["status"] for e in emails} == {"delivered"}


def test_a_claim_never_completed_lapses_and_the_message_is_sent(
    podium: Podium, clock: ManualClock, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """A deliverer that claimed and crashed holds the message only until its lease ends."""
    [email] = queue_resets(podium, 1)
    podium.projector.catch_up()
    mail_id = UUID(podium.views.outbox.to(email)[0]["mail_id"])
    assert podium.outbox.claim(mail_id, "crashed").body["claimed"] is True
    assert deliver_due(podium, transport) == 0
    assert smtp_server.inbox.to(email) == []
    clock.advance(CLAIM_LEASE)
    assert deliver_due(podium, transport) == 1
    assert len(smtp_server.inbox.to(email)) == 1
    assert deliver_due(podium, transport) == 0
