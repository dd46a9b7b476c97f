"""The address book: contacts (one per email per account) and groups of them for invitations."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.ids import derived_id

CONTACT_FIELDS = ("first_name", "last_name", "phone", "company", "country")


class Contact(CheapCopy, Aggregate):
    """Someone in an account's address book; saving an existing email updates it."""

    class Saved(Aggregate.Created):
        account_id: UUID
        email: str
        details: dict[str, Any]
        at: datetime

    class Updated(Aggregate.Event):
        details: dict[str, Any]
        at: datetime

    @staticmethod
    def create_id(account_id: UUID, email: str, details: dict[str, Any], at: datetime) -> UUID:
        return Contact.id_for(account_id, email)

    @staticmethod
    def id_for(account_id: UUID, email: str) -> UUID:
        return derived_id("contact", f"{account_id}:{email.strip().lower()}")

    @event(Saved)
    def __init__(self, account_id: UUID, email: str, details: dict[str, Any], at: datetime) -> None:
        self.account_id = account_id
        self.email = email
        self.details = dict(details)

    def update(self, details: dict[str, Any], at: datetime) -> None:
        changes = {k: v for k, v in details.items() if self.details.get(k) != v}
        if changes:
            self._updated(changes, at)

    @event(Updated)
    def _updated(self, details: dict[str, Any], at: datetime) -> None:
        self.details.update(details)


class ContactGroup(CheapCopy, Aggregate):
    """A named set of email addresses (a group in the address book)."""

    class Created(Aggregate.Created):
        account_id: UUID
        name: str
        emails: list[str]
        at: datetime

    class MembersAdded(Aggregate.Event):
        emails: list[str]
        at: datetime

    @event(Created)
    def __init__(self, account_id: UUID, name: str, emails: list[str], at: datetime) -> None:
        self.account_id = account_id
        self.name = name
        self.emails = list(dict.fromkeys(e.strip().lower() for e in emails))

    def add(self, emails: list[str], at: datetime) -> None:
        new = [e.strip().lower() for e in emails if e.strip().lower() not in self.emails]
        if new:
            self._members_added(list(dict.fromkeys(new)), at)

    @event(MembersAdded)
    def _members_added(self, emails: list[str], at: datetime) -> None:
        self.emails.extend(emails)
