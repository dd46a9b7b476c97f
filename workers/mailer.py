"""The mailer: delivers the outbox over SMTP, with retries and backoff, losing nothing.

A message stays pending in the outbox until a delivery is recorded; a failed attempt records
the error and the time of the next attempt (exponential backoff, see ``domain.mail``).
Delivery is at least once: a crash between sending and recording sends the message again,
with the same Message-ID.
"""

from __future__ import annotations

import smtplib
from uuid import UUID

from commands.tokens import render_link_tokens
from podium.bootstrap import Podium
from podium.mail import MailTransport


def deliver_due(podium: Podium, transport: MailTransport, limit: int = 50) -> int:
    """Send every message due now; return how many were delivered."""
    podium.projector.catch_up()
    delivered = 0
    key = podium.settings.secret.encode()
    for row in podium.views.outbox.due(podium.clock.now(), limit):
        mail_id = UUID(row["mail_id"])
        body = render_link_tokens(row["body"], key)  # only the sent mail holds the link's token
        try:
            transport.send(row["recipient"], row["subject"], body, mail_id.hex)
        except (OSError, smtplib.SMTPException) as error:
            podium.outbox.failed(mail_id, f"{type(error).__name__}: {error}")
        else:
            podium.outbox.delivered(mail_id)
            delivered += 1
    podium.projector.catch_up()
    return delivered
