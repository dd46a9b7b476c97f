"""Getting into a room without a hot stream: one seat, one admission, one live slot at a time.

A room's capacity is a set of seat aggregates (ids derived from room, kind and number); taking
a seat is creating one, so two people racing for the last seat collide on version 1 of the same
stream and one of them is refused. Each person's admission is their own stream, so coming back
takes no second seat. An account's concurrent events are live slots, one per room session.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.ids import derived_id


class Seat(CheapCopy, Aggregate):
    """Seat number ``n`` of a room's listeners or presenters, taken by one person."""

    class Taken(Aggregate.Created):
        room_id: UUID
        kind: str
        n: int
        email: str

    @staticmethod
    def create_id(room_id: UUID, kind: str, n: int, email: str) -> UUID:
        return Seat.id_for(room_id, kind, n)

    @staticmethod
    def id_for(room_id: UUID, kind: str, n: int) -> UUID:
        return derived_id("seat", f"{room_id}:{kind}:{n}")

    @event(Taken)
    def __init__(self, room_id: UUID, kind: str, n: int, email: str) -> None:
        self.room_id, self.kind, self.n, self.email = room_id, kind, n, email


class Admission(CheapCopy, Aggregate):
    """One person let into one room, in a role, on a seat."""

    class Admitted(Aggregate.Created):
        room_id: UUID
        email: str
        nickname: str
        role: str
        seat: int
        via: str
        at: datetime

    class Returned(Aggregate.Event):
        at: datetime

    @staticmethod
    def create_id(
        room_id: UUID, email: str, nickname: str, role: str, seat: int, via: str, at: datetime
    ) -> UUID:
        return Admission.id_for(room_id, email)

    @staticmethod
    def id_for(room_id: UUID, email: str) -> UUID:
        return derived_id("admission", f"{room_id}:{email.strip().lower()}")

    @event(Admitted)
    def __init__(
        self, room_id: UUID, email: str, nickname: str, role: str, seat: int, via: str, at: datetime
    ) -> None:
        self.room_id, self.email, self.nickname, self.role = room_id, email, nickname, role
        self.seat = seat
        self.visits = 1

    def come_back(self, at: datetime) -> None:
        self._returned(at)

    @event(Returned)
    def _returned(self, at: datetime) -> None:
        self.visits += 1


class LiveSlot(CheapCopy, Aggregate):
    """Slot ``n`` of an account's concurrent live events (one, plus one per room session)."""

    class Opened(Aggregate.Created):
        account_id: UUID
        n: int

    class Taken(Aggregate.Event):
        room_id: UUID
        until: datetime
        at: datetime

    @staticmethod
    def create_id(account_id: UUID, n: int) -> UUID:
        return LiveSlot.id_for(account_id, n)

    @staticmethod
    def id_for(account_id: UUID, n: int) -> UUID:
        return derived_id("live-slot", f"{account_id}:{n}")

    @event(Opened)
    def __init__(self, account_id: UUID, n: int) -> None:
        self.account_id, self.n = account_id, n
        self.room_id: UUID | None = None
        self.until: datetime | None = None

    def holds(self, room_id: UUID, now: datetime) -> bool:
        return self.room_id == room_id and self.until is not None and now < self.until

    def is_free(self, now: datetime) -> bool:
        return self.until is None or now >= self.until

    def take(self, room_id: UUID, until: datetime, at: datetime) -> None:
        self._taken(room_id, until, at)

    @event(Taken)
    def _taken(self, room_id: UUID, until: datetime, at: datetime) -> None:
        self.room_id, self.until = room_id, until
