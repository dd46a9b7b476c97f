"""Ledger events to billing_ledgers and billing_entries rows."""

from __future__ import annotations

from typing import Any

from domain.ledger import Ledger, genesis_hash
from projections.store import BatchMemo, Cursor


class BillingHistoryProjection:
    """Projects every ledger entry; the balance row is the running total."""

    name: str = "billing_history"
    topics: tuple[str, ...] = (
        "domain.ledger:Ledger.Opened",
        "domain.ledger:Ledger.EntryRecorded",
    )
    tables: tuple[str, ...] = ("billing_entries", "billing_ledgers")

    def __init__(self) -> None:
        self._accounts = BatchMemo()  # ledger id -> account id

    def _account_of(self, cursor: Cursor, ledger_id: str) -> str:
        accounts = self._accounts.of(cursor)
        if ledger_id not in accounts:
            cursor.execute(
                "SELECT account_id FROM billing_ledgers WHERE ledger_id = %s", (ledger_id,)
            )
            row = cursor.fetchone()
            if row is None:
                raise LookupError(f"entry for unknown ledger {ledger_id}")
            accounts[ledger_id] = str(row["account_id"])
        return accounts[ledger_id]

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if isinstance(event, Ledger.Opened):
            cursor.execute(
                "INSERT INTO billing_ledgers "
                "(ledger_id, account_id, currency, balance, entries, last_hash) "
                "VALUES (%s, %s, %s, 0, 0, %s)",
                (
                    str(event.originator_id),
                    str(event.account_id),
                    event.currency,
                    genesis_hash(event.account_id),
                ),
            )
        elif isinstance(event, Ledger.EntryRecorded):
            account_id = self._account_of(cursor, str(event.originator_id))
            cursor.execute(
                "INSERT INTO billing_entries (account_id, sequence, kind, amount, currency, "
                "balance_after, description, reference, at, previous_hash, hash, notification_id) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    account_id,
                    event.sequence,
                    event.kind,
                    event.amount,
                    event.currency,
                    event.balance_after,
                    event.description,
                    event.reference,
                    event.at.isoformat(),
                    event.previous_hash,
                    event.hash,
                    position,
                ),
            )
            cursor.execute(
                "UPDATE billing_ledgers SET balance = %s, entries = %s, last_hash = %s "
                "WHERE ledger_id = %s",
                (event.balance_after, event.sequence, event.hash, str(event.originator_id)),
            )
