"""OutgoingMail events to outbox rows."""

from __future__ import annotations

from typing import Any

from eventsourcing.utils import get_topic

from domain.mail import OutgoingMail
from projections.store import Cursor


class OutboxProjection:
    """One row per message: pending, then delivered, with attempts and the last error."""

    name: str = "outbox"
    topics: tuple[str, ...] = tuple(
        get_topic(cls)
        for cls in (OutgoingMail.Queued, OutgoingMail.Delivered, OutgoingMail.AttemptFailed)
    )
    tables: tuple[str, ...] = ("outbox",)

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        mail_id = str(event.originator_id)
        if isinstance(event, OutgoingMail.Queued):
            cursor.execute(
                "INSERT INTO outbox (mail_id, account_id, recipient, subject, body, purpose, "
                "status, attempts, next_attempt_at, queued_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, 'pending', 0, %s, %s)",
                (
                    mail_id,
                    event.account_id,
                    event.to,
                    event.subject,
                    event.body,
                    event.purpose,
                    event.at.isoformat(),
                    event.at.isoformat(),
                ),
            )
        elif isinstance(event, OutgoingMail.Delivered):
            cursor.execute(
                "UPDATE outbox SET status = 'delivered', delivered_at = %s WHERE mail_id = %s",
                (event.at.isoformat(), mail_id),
            )
        elif isinstance(event, OutgoingMail.AttemptFailed):
            cursor.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = %s, "
                "last_error = %s WHERE mail_id = %s",
                (event.retry_at.isoformat(), event.error, mail_id),
            )
