"""Answers about accounts, their API keys, members and logins."""

from __future__ import annotations

from api.responses.base import Answer


class SignedUp(Answer):
    """A new trial account and its owner's login."""

    account_id: str
    login_id: str
    email: str
    status: str
    trial_ends: str | None


class IssuedKey(Answer):
    """A new API key: shown here once, stored only as a digest."""

    api_key: str


class Revoked(Answer):
    id: str
    revoked: bool


class Member(Answer):
    login_id: str
    email: str
    role: str
    status: str


class Members(Answer):
    members: list[Member]


class MemberAdded(Answer):
    login_id: str
    email: str
    role: str


class MemberRemoved(Answer):
    login_id: str
    removed: bool


class LoginChanged(Answer):
    login_id: str


class Accepted(Answer):
    detail: str


class AccountState(Answer):
    """An account after a billing command: status, plan and cycle, the period's end."""

    account_id: str
    status: str


class PaymentMethod(Answer):
    """The payment method on file, as the account shows it (never a card number)."""

    kind: str
    label: str


class AccountSummary(Answer):
    """The account (or, for a subaccount's login, the subaccount); the balance and payment
    method only for a login with billing rights (docs/roles.md)."""

    status: str
    role: str
    balance: int | None = None  # absent, not null, without billing rights (exclude_unset)
