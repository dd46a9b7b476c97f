"""Queries of the transaction history."""

from __future__ import annotations

from typing import Any

from projections.store import ReadStore, Row

ENTRY_COLUMNS = "sequence, kind, amount, currency, balance_after, description, reference, at, hash"


class BillingHistoryView:
    """The panel's and the auditor's view of an account's money."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def balance(self, account_id: str) -> Row | None:
        rows = self.store.query(
            "SELECT balance, currency, entries, last_hash FROM billing_ledgers "
            "WHERE account_id = %s",
            (account_id,),
        )
        return rows[0] if rows else None

    def history(self, account_id: str, limit: int = 100, before: int | None = None) -> list[Row]:
        """Most recent first; ``before`` pages back from a sequence number."""
        params: list[Any] = [account_id]
        where = "account_id = %s"
        if before is not None:
            where += " AND sequence < %s"
            params.append(before)
        params.append(limit)
        return self.store.query(
            f"SELECT {ENTRY_COLUMNS} FROM billing_entries WHERE {where} "  # noqa: S608
            "ORDER BY sequence DESC LIMIT %s",
            params,
        )

    def all_ledgers(self) -> list[Row]:
        return self.store.query(
            "SELECT account_id, balance, entries, last_hash FROM billing_ledgers"
        )

    def entry(self, account_id: str, sequence: int) -> Row | None:
        rows = self.store.query(
            f"SELECT {ENTRY_COLUMNS} FROM billing_entries "  # noqa: S608
            "WHERE account_id = %s AND sequence = %s",
            (account_id, sequence),
        )
        return rows[0] if rows else None
