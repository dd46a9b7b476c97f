"""Queries of the outbox: what the mailer sends next, and delivery status."""

from __future__ import annotations

from datetime import datetime

from projections.store import ReadStore, Row


class OutboxView:
    """Messages waiting to go, and what became of each."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def due(self, now: datetime, limit: int = 50) -> list[Row]:
        return self.store.query(
            "SELECT mail_id, recipient, subject, body, purpose, attempts FROM outbox "
            "WHERE status = 'pending' AND next_attempt_at <= %s "
            "ORDER BY next_attempt_at LIMIT %s",
            (now.isoformat(), limit),
        )

    def pending_count(self) -> int:
        """Messages not delivered yet, due or backing off (the mail queue's length)."""
        rows = self.store.query("SELECT COUNT(*) AS pending FROM outbox WHERE status = 'pending'")
        return int(rows[0]["pending"])

    def to(self, recipient: str) -> list[Row]:
        return self.store.query(
            "SELECT mail_id, subject, body, purpose, status, attempts, last_error, queued_at, "
            "delivered_at FROM outbox WHERE recipient = %s ORDER BY queued_at",
            (recipient,),
        )

    def for_account(self, account_id: str, limit: int = 100) -> list[Row]:
        """What was sent for an account and how delivery went (no bodies: they hold links)."""
        return self.store.query(
            "SELECT mail_id, recipient, subject, purpose, status, attempts, last_error, "
            "queued_at, delivered_at FROM outbox WHERE account_id = %s "
            "ORDER BY queued_at DESC, mail_id LIMIT %s",
            (account_id, limit),
        )

    def sent_for(
        self, account_id: str, purpose: str, since: str, until: str | None = None
    ) -> list[Row]:
        """An account's messages of one purpose queued from ``since`` (before ``until``)."""
        bound = " AND queued_at < %s" if until is not None else ""
        return self.store.query(
            "SELECT mail_id, recipient, subject, status, queued_at, delivered_at FROM outbox "  # noqa: S608 - ours
            f"WHERE account_id = %s AND purpose = %s AND queued_at >= %s{bound} "
            "ORDER BY queued_at, recipient",
            (account_id, purpose, since, *((until,) if until is not None else ())),
        )
