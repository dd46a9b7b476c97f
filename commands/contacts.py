"""The address book: contacts (saved by email, updated when saved again) and groups."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.contact import CONTACT_FIELDS, Contact, ContactGroup
from domain.errors import InvalidRequestError, NotFoundError


class Contacts:
    """An account's contacts and contact groups."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def save(
        self, account_id: UUID, email: str, details: dict[str, Any], idem: Idempotency | None = None
    ) -> Result:
        unknown = set(details) - set(CONTACT_FIELDS)
        if unknown:
            raise InvalidRequestError(f"unknown contact field(s): {', '.join(sorted(unknown))}")
        clean = {k: v for k, v in details.items() if v is not None}

        def command(unit: UnitOfWork) -> Result:
            contact = unit.find(Contact, Contact.id_for(account_id, email))
            if contact is None:
                contact = unit.add(Contact(account_id, email.strip().lower(), clean, unit.now))
                return Result(Outcome.CREATED, {"contact_id": str(contact.id), "status": "OK"})
            contact.update(clean, unit.now)
            return Result(Outcome.DONE, {"contact_id": str(contact.id), "status": "OK"})

        return self.runner.run(command, idem)

    def create_group(
        self, account_id: UUID, name: str, emails: list[str], idem: Idempotency | None = None
    ) -> Result:
        # The event records the addresses as the group keeps them (lower case, each once).
        members = list(dict.fromkeys(email.strip().lower() for email in emails))

        def command(unit: UnitOfWork) -> Result:
            group = unit.add(ContactGroup(account_id, name, members, unit.now))
            return Result(
                Outcome.CREATED, {"group_id": str(group.id), "name": name, "emails": group.emails}
            )

        return self.runner.run(command, idem)

    def add_to_group(self, account_id: UUID, group_id: UUID, emails: list[str]) -> Result:
        def command(unit: UnitOfWork) -> Result:
            group = unit.find(ContactGroup, group_id)
            if group is None or group.account_id != account_id:
                raise NotFoundError("contact group not found")
            group.add(emails, unit.now)
            return Result(Outcome.DONE, {"group_id": str(group.id), "emails": group.emails})

        return self.runner.run(command)
