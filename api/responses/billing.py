"""Answers about billing, the timeline and mail."""

from __future__ import annotations

from api.responses.base import Answer


class LedgerEntry(Answer):
    sequence: int
    kind: str
    amount: int
    currency: str
    balance_after: int
    description: str
    at: str


class Transactions(Answer):
    balance: int
    currency: str
    entries: list[LedgerEntry]


class TimelineEntry(Answer):
    position: int
    at: str
    kind: str


class Timeline(Answer):
    entries: list[TimelineEntry]


class Message(Answer):
    mail_id: str
    recipient: str
    subject: str
    purpose: str
    status: str
    attempts: int


class Messages(Answer):
    messages: list[Message]
