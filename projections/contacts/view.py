"""Queries of the address book."""

from __future__ import annotations

import json
from typing import Any

from projections.store import ReadStore


class ContactsView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def contacts(self, account_id: str) -> list[dict[str, Any]]:
        rows = self.store.query(
            "SELECT contact_id, email, details, updated_at FROM contacts WHERE account_id = %s "
            "ORDER BY email",
            (account_id,),
        )
        return [{**row, **json.loads(row.pop("details"))} for row in rows]

    def groups(self, account_id: str) -> list[dict[str, Any]]:
        rows = self.store.query(
            "SELECT group_id, name, emails FROM contact_groups WHERE account_id = %s ORDER BY name",
            (account_id,),
        )
        return [{**row, "emails": json.loads(row["emails"])} for row in rows]
