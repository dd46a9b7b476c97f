"""The scheduler: issues the commands that time makes due.

Trials expire, paid periods renew (applying scheduled downgrades, ending cancelled
subaccounts), cancelled accounts close. Every such command checks that it is due, so running
the same job twice, or two schedulers at once, charges nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from apscheduler.schedulers.background import BackgroundScheduler

from podium.bootstrap import Podium
from podium.mail import MailTransport
from workers.mailer import deliver_due

log = logging.getLogger(__name__)


def run_due(podium: Podium) -> list[str]:
    """Renew, expire or close every account due at the clock's now; return their ids."""
    podium.projector.catch_up()
    due = podium.views.accounts.due(podium.clock.now())
    for account_id in due:
        podium.billing.renew(UUID(account_id))
    podium.projector.catch_up()
    return due


def start(
    podium: Podium, transport: MailTransport, renew_every: float = 60, mail_every: float = 5
) -> BackgroundScheduler:
    """Run the due-commands job and the mailer in background threads."""
    scheduler = BackgroundScheduler(timezone="UTC")
    options = {"max_instances": 1, "coalesce": True}
    scheduler.add_job(_guarded(run_due, podium), "interval", seconds=renew_every, **options)
    scheduler.add_job(
        _guarded(deliver_due, podium, transport), "interval", seconds=mail_every, **options
    )
    scheduler.start()
    return scheduler


def _guarded(job: Callable[..., object], *args: object) -> Callable[[], None]:
    """A job that logs its failure and runs again at the next tick instead of dying."""

    def run() -> None:
        try:
            job(*args)
        except Exception:  # the next tick retries; a crash would stop every later run
            log.exception("scheduled job %s failed", getattr(job, "__name__", job))

    return run
