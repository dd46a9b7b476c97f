"""Contact and ContactGroup events to contacts and contact_groups rows."""

from __future__ import annotations

import json
from typing import Any

from domain.contact import Contact, ContactGroup
from projections.store import Cursor


class ContactsProjection:
    """One row per contact and per group."""

    name: str = "contacts"
    topics: tuple[str, ...] = tuple(
        f"{cls.__module__}:{cls.__qualname__}"
        for cls in (Contact.Saved, Contact.Updated, ContactGroup.Created, ContactGroup.MembersAdded)
    )
    tables: tuple[str, ...] = ("contacts", "contact_groups")

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        key = str(event.originator_id)
        if isinstance(event, Contact.Saved):
            cursor.execute(
                "INSERT INTO contacts (contact_id, account_id, email, details, updated_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                (
                    key,
                    str(event.account_id),
                    event.email,
                    json.dumps(event.details),
                    event.at.isoformat(),
                ),
            )
        elif isinstance(event, Contact.Updated):
            cursor.execute("SELECT details FROM contacts WHERE contact_id = %s", (key,))
            row = cursor.fetchone()
            details = (json.loads(row["details"]) if row else {}) | event.details
            cursor.execute(
                "UPDATE contacts SET details = %s, updated_at = %s WHERE contact_id = %s",
                (json.dumps(details), event.at.isoformat(), key),
            )
        elif isinstance(event, ContactGroup.Created):
            cursor.execute(
                "INSERT INTO contact_groups (group_id, account_id, name, emails) "
                "VALUES (%s, %s, %s, %s)",
                (key, str(event.account_id), event.name, json.dumps(event.emails)),
            )
        elif isinstance(event, ContactGroup.MembersAdded):
            cursor.execute("SELECT emails FROM contact_groups WHERE group_id = %s", (key,))
            row = cursor.fetchone()
            emails = (json.loads(row["emails"]) if row else []) + event.emails
            cursor.execute(
                "UPDATE contact_groups SET emails = %s WHERE group_id = %s",
                (json.dumps(emails), key),
            )
