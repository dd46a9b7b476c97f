"""The Ledger aggregate: an account's money movements, hash-chained.

Every entry is signed from the account's point of view: a charge is negative, a payment, top-up
or credit positive, a declined payment zero. The balance is the sum of the entries, so a paid
charge nets to zero and a negative balance is money owed. Each entry carries the hash of the one
before (the first, a hash of the account's id), so changing, removing or moving any stored entry
breaks the chain from there on (``podium audit`` checks it).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError
from domain.ids import derived_id
from domain.money import CURRENCY, Money


def genesis_hash(account_id: UUID) -> str:
    """The hash a ledger's chain starts from: its account's, so two accounts with the same
    history still have different chains, and an entry moved between ledgers breaks both."""
    return hashlib.sha256(f"podium-ledger|{account_id}".encode()).hexdigest()


DEBITS = frozenset({"plan", "proration", "add_on", "subaccounts", "dial_in", "charge"})
CREDITS = frozenset({"card_payment", "top_up", "credit"})
NEUTRAL = frozenset({"payment_declined"})
KINDS = DEBITS | CREDITS | NEUTRAL


def entry_hash(previous_hash: str, entry: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous_hash}|{canonical}".encode()).hexdigest()


def hashed_fields(
    sequence: int,
    kind: str,
    amount: int,
    currency: str,
    balance_after: int,
    description: str,
    reference: str,
    at: datetime,
) -> dict[str, Any]:
    """The fields an entry's hash covers, in the form the hash is computed over."""
    return {
        "sequence": sequence,
        "kind": kind,
        "amount": amount,
        "currency": currency,
        "balance_after": balance_after,
        "description": description,
        "reference": reference,
        "at": at.isoformat(),
    }


class Ledger(CheapCopy, Aggregate):
    """One account's transaction history and balance."""

    class Opened(Aggregate.Created):
        account_id: UUID
        currency: str

    class EntryRecorded(Aggregate.Event):
        sequence: int
        kind: str
        amount: int
        currency: str
        balance_after: int
        description: str
        reference: str
        at: datetime
        previous_hash: str
        hash: str

        def hashed_fields(self) -> dict[str, Any]:
            """What this entry's hash covers, as it was hashed."""
            return hashed_fields(
                self.sequence,
                self.kind,
                self.amount,
                self.currency,
                self.balance_after,
                self.description,
                self.reference,
                self.at,
            )

        def recomputed_hash(self) -> str:
            """The hash its stored fields give; differs from ``hash`` if any was altered."""
            return entry_hash(self.previous_hash, self.hashed_fields())

    @staticmethod
    def create_id(account_id: UUID, currency: str = CURRENCY) -> UUID:
        return Ledger.id_for(account_id)

    @staticmethod
    def id_for(account_id: UUID) -> UUID:
        return derived_id("ledger", str(account_id))

    @event(Opened)
    def __init__(self, account_id: UUID, currency: str = CURRENCY) -> None:
        self.account_id = account_id
        self.currency = currency
        self.balance = 0
        self.entries = 0
        self.last_hash = genesis_hash(account_id)

    @property
    def balance_money(self) -> Money:
        return Money(self.balance, self.currency)

    def record(
        self, kind: str, amount: Money, description: str, reference: str, at: datetime
    ) -> None:
        """Append one entry; the sign must match the kind."""
        if kind not in KINDS:
            raise InvalidRequestError(f"unknown ledger entry kind {kind!r}")
        if amount.currency != self.currency:
            raise InvalidRequestError(f"this ledger is in {self.currency}, not {amount.currency}")
        if (kind in DEBITS and amount.amount > 0) or (kind in CREDITS and amount.amount < 0):
            raise InvalidRequestError(f"a {kind} entry cannot be {amount}")
        if kind in NEUTRAL and amount.amount != 0:
            raise InvalidRequestError(f"a {kind} entry moves no money")
        sequence, balance_after = self.entries + 1, self.balance + amount.amount
        fields = hashed_fields(
            sequence,
            kind,
            amount.amount,
            amount.currency,
            balance_after,
            description,
            reference,
            at,
        )
        self._entry_recorded(
            **fields | {"at": at},
            previous_hash=self.last_hash,
            hash=entry_hash(self.last_hash, fields),
        )

    @event(EntryRecorded)
    def _entry_recorded(
        self,
        sequence: int,
        kind: str,
        amount: int,
        currency: str,
        balance_after: int,
        description: str,
        reference: str,
        at: datetime,
        previous_hash: str,
        hash: str,
    ) -> None:
        self.entries = sequence
        self.balance = balance_after
        self.last_hash = hash
