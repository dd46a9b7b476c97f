"""Answers about the address book and subaccounts."""

from __future__ import annotations

from typing import Any

from api.responses.accounts import IssuedKey
from api.responses.base import Answer


class ContactSaved(Answer):
    contact_id: str
    status: str


class Contact(Answer):
    contact_id: str
    email: str


class Contacts(Answer):
    contacts: list[Contact]


class Group(Answer):
    group_id: str
    emails: list[str]


class Groups(Answer):
    groups: list[Group]


class Subaccount(Answer):
    subaccount_id: str
    page_name: str
    user_name: str
    email: str
    package_size: int
    status: str


class Subaccounts(Answer):
    subaccounts: list[dict[str, Any]]


class SubaccountKey(IssuedKey):
    subaccount_id: str
