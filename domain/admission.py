"""Getting into a session without a hot stream: one seat, one admission, one live slot at a time.

A session's capacity is a set of seat aggregates (ids derived from room, session, kind and
number); taking a seat is creating one (or taking a given-back one), so two people racing for
the last seat collide on one version of one stream and one of them is refused. Each person's
admission to a session is their own stream, so coming back takes no second seat; leaving gives
the seat back. A new session's seats are other streams: ending a session frees them all.
An account's concurrent events are live slots, one per room session (decisions 0003, 0012).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError
from domain.ids import derived_id

MIN_RATING, MAX_RATING = 1, 5
MAX_RATING_COMMENT = 1000


class Seat(CheapCopy, Aggregate):
    """Seat number ``n`` of one session's listeners or presenters, held by one person at a time.

    Taking a never-taken seat creates its stream; taking a given-back seat is version 2k+1 of
    it, so two people racing for one seat still collide on one version of one stream.
    Version 2 of ``Taken`` added ``session``; seats taken before sessions existed were session 1's.
    """

    class Taken(Aggregate.Created):
        class_version = 2
        room_id: UUID
        session: int
        kind: str
        n: int
        email: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["session"] = 1

    class Released(Aggregate.Event):
        at: datetime

    class Retaken(Aggregate.Event):
        email: str

    @staticmethod
    def create_id(room_id: UUID, session: int, kind: str, n: int, email: str) -> UUID:
        return Seat.id_for(room_id, session, kind, n)

    @staticmethod
    def id_for(room_id: UUID, session: int, kind: str, n: int) -> UUID:
        return derived_id("seat", f"{room_id}:{session}:{kind}:{n}")

    @event(Taken)
    def __init__(self, room_id: UUID, session: int, kind: str, n: int, email: str) -> None:
        self.room_id, self.session, self.kind, self.n = room_id, session, kind, n
        self.email: str | None = email

    @property
    def free(self) -> bool:
        return self.email is None

    def take(self, email: str) -> None:
        """Take a given-back seat (the caller checked ``free``)."""
        self._retaken(email)

    @event(Retaken)
    def _retaken(self, email: str) -> None:
        self.email = email

    def release(self, email: str, at: datetime) -> None:
        """Give the seat back, if ``email`` holds it (leaving twice frees nobody else's)."""
        if self.email == email:
            self._released(at)

    @event(Released)
    def _released(self, at: datetime) -> None:
        self.email = None


def seat_kind(role: str) -> str:
    """Listeners sit in the attendee seats; hosts and presenters in the presenter seats."""
    return "attendee" if role == "listener" else "presenter"


class Admission(CheapCopy, Aggregate):
    """One person let into one session of a room, in a role, on a seat while present.

    Version 2 of ``Admitted`` added ``session``; admissions before sessions existed were
    session 1's. Version 3 of ``Admitted`` and version 2 of ``Returned`` and ``Reentered``
    added ``client`` (``domain.client.client_seen``: the User-Agent, address, and the browser,
    system, device and country derived from them when the join was written; None for joins
    before, and for phone calls).
    """

    class Admitted(Aggregate.Created):
        class_version = 3
        room_id: UUID
        session: int
        email: str
        nickname: str
        role: str
        seat: int
        via: str
        at: datetime
        client: dict[str, str] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["session"] = 1

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["client"] = None

    class Returned(Aggregate.Event):
        class_version = 2
        at: datetime
        client: dict[str, str] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["client"] = None

    class Left(Aggregate.Event):
        seat: int
        at: datetime

    class Rated(Aggregate.Event):
        """The rating (1 to 5) and comment given at exit; rating again replaces them."""

        rating: int
        comment: str | None
        at: datetime

    class Reentered(Aggregate.Event):
        class_version = 2
        seat: int
        at: datetime
        client: dict[str, str] | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["client"] = None

    @staticmethod
    def create_id(
        room_id: UUID,
        session: int,
        email: str,
        nickname: str,
        role: str,
        seat: int,
        via: str,
        at: datetime,
        client: dict[str, str] | None = None,
    ) -> UUID:
        return Admission.id_for(room_id, session, email)

    @staticmethod
    def id_for(room_id: UUID, session: int, email: str) -> UUID:
        return derived_id("admission", f"{room_id}:{session}:{email.strip().lower()}")

    @event(Admitted)
    def __init__(
        self,
        room_id: UUID,
        session: int,
        email: str,
        nickname: str,
        role: str,
        seat: int,
        via: str,
        at: datetime,
        client: dict[str, str] | None = None,
    ) -> None:
        self.room_id, self.session = room_id, session
        self.email, self.nickname, self.role = email, nickname, role
        self.seat: int | None = seat  # None while away: the seat was given back
        self.visits = 1
        self.rating: int | None = None
        self.rating_comment: str | None = None

    @property
    def present(self) -> bool:
        return self.seat is not None

    def come_back(self, at: datetime, client: dict[str, str] | None = None) -> None:
        """Join again while present: the same seat, one more visit."""
        self._returned(at, client)

    @event(Returned)
    def _returned(self, at: datetime, client: dict[str, str] | None) -> None:
        self.visits += 1

    def leave(self, at: datetime) -> int | None:
        """Leave the session; the seat given back (None when already away: nothing changes)."""
        seat = self.seat
        if seat is not None:
            self._left(seat, at)
        return seat

    @event(Left)
    def _left(self, seat: int, at: datetime) -> None:
        self.seat = None

    def rate(self, rating: int, comment: str | None, at: datetime) -> None:
        """Rate the session (1 to 5 stars) with an optional comment, on the way out or after."""
        if isinstance(rating, bool) or not MIN_RATING <= rating <= MAX_RATING:
            raise InvalidRequestError(f"a rating is {MIN_RATING} to {MAX_RATING}")
        said = (comment or "").strip()
        if len(said) > MAX_RATING_COMMENT:
            raise InvalidRequestError(f"a comment is at most {MAX_RATING_COMMENT} characters")
        self._rated(rating, said or None, at)

    @event(Rated)
    def _rated(self, rating: int, comment: str | None, at: datetime) -> None:
        self.rating, self.rating_comment = rating, comment

    def reenter(self, seat: int, at: datetime, client: dict[str, str] | None = None) -> None:
        """Come back after leaving, on the seat just taken."""
        self._reentered(seat, at, client)

    @event(Reentered)
    def _reentered(self, seat: int, at: datetime, client: dict[str, str] | None) -> None:
        self.seat = seat
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

    class Freed(Aggregate.Event):
        room_id: UUID
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

    def free(self, room_id: UUID, at: datetime) -> bool:
        """Give the slot back when ``room_id``'s session ended; False (nothing changes) when the
        slot is free already or another room holds it."""
        # Not ``holds``: which room took the slot decides, not whose clock says it has lapsed.
        if self.room_id != room_id or self.until is None:
            return False
        self._freed(room_id, at)
        return True

    @event(Freed)
    def _freed(self, room_id: UUID, at: datetime) -> None:
        self.room_id, self.until = None, None
