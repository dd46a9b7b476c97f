"""Raised hands in a live session: one stream per person and session (decision 0014).

Raising a hand creates the person's ``Hand`` stream (or raises it again), so a room raising
hands at once writes one stream each. The attendee lowers their own hand; a host or presenter
lowers anyone's. The queue is the raised hands in the order they were (last) raised.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.ids import derived_id


class Hand(CheapCopy, Aggregate):
    """One person's hand in one session: raised or down."""

    class Raised(Aggregate.Created):
        room_id: UUID
        session: int
        email: str  # presenters only, as every field named email (decision 0014)
        nickname: str
        at: datetime

    class RaisedAgain(Aggregate.Event):
        at: datetime

    class Lowered(Aggregate.Event):
        by: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int, email: str, nickname: str, at: datetime) -> UUID:
        return Hand.id_for(room_id, session, email)

    @staticmethod
    def id_for(room_id: UUID, session: int, email: str) -> UUID:
        return derived_id("live-hand", f"{room_id}:{session}:{email}")

    @event(Raised)
    def __init__(
        self, room_id: UUID, session: int, email: str, nickname: str, at: datetime
    ) -> None:
        self.room_id, self.session, self.email, self.nickname = room_id, session, email, nickname
        self.raised = True

    def raise_again(self, at: datetime) -> bool:
        """Raise a lowered hand (it joins the end of the queue); False if it is up already."""
        if self.raised:
            return False
        self._raised_again(at)
        return True

    @event(RaisedAgain)
    def _raised_again(self, at: datetime) -> None:
        self.raised = True

    def lower(self, by: str, at: datetime) -> bool:
        """Lower the hand; False if it is down already."""
        if not self.raised:
            return False
        self._lowered(by, at)
        return True

    @event(Lowered)
    def _lowered(self, by: str, at: datetime) -> None:
        self.raised = False
