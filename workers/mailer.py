"""The mailer: delivers the outbox over SMTP, with retries and backoff, losing nothing.

A message stays pending in the outbox until a delivery is recorded; a failed attempt records
the error and the time of the next attempt (exponential backoff, see ``domain.mail``).
Several deliverers may run at once (docker-compose runs the scheduler and the mailer): each
claims a message on its own stream before sending it, and skips it if another holds it, so
no two send the same message. Delivery is still at least once: a crash between sending and
recording leaves a claim that lapses, and the message is sent again, with the same Message-ID.
"""

from __future__ import annotations

import os
import smtplib
import socket
import threading
from uuid import UUID

from commands.errors import ConflictError
from commands.tokens import render_link_tokens
from podium.bootstrap import Podium
from podium.mail import MailTransport


def deliverer_name() -> str:
    """Who claims: this host, process and thread (it shows in the claim event)."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def deliver_due(
    podium: Podium, transport: MailTransport, limit: int = 50, by: str | None = None
) -> int:
    """Send every message due now that this deliverer can claim; return how many it delivered."""
    podium.projector.catch_up()
    delivered, by = 0, by or deliverer_name()
    key = podium.settings.secret.encode()
    for row in podium.views.outbox.due(podium.clock.now(), limit):
        mail_id = UUID(row["mail_id"])
        try:
            if not podium.outbox.claim(mail_id, by).body["claimed"]:
                continue  # another deliverer has it, or it went out since the read model said
        except ConflictError:
            continue  # still contended after the runner's retries: someone else is on it
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
