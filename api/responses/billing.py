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


class DialInCall(Answer):
    """One dial-in: who called, which number, when, how long, what it cost (cents; a local
    number costs the organizer nothing; a call still connected has no end or cost yet)."""

    caller: str
    dialled: str
    toll_free: bool
    started_at: str
    ended_at: str | None
    duration_seconds: int | None
    billed_minutes: int | None
    cost: int | None


class DialInDetails(Answer):
    """What a toll-free charge paid for: one session's toll-free calls."""

    room_id: str
    room_name: str | None
    session: int
    toll_free_minutes: int
    toll_free_cost: int
    calls: list[DialInCall]
    cdr: str | None  # the session's full CDR, when the room is the account's own


class TransactionDetail(LedgerEntry):
    details: DialInDetails | None


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
