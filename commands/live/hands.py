"""Raised hands in a live session: raise and lower your own; presenters lower anyone's."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.live.actors import Actor, Actors, Caller, live_session, require_presenter
from commands.live.readers import reading_actor
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.errors import NotFoundError
from domain.live.hands import Hand


def hand_body(hand: Hand) -> dict[str, Any]:
    return {
        "hand_id": str(hand.id),
        "room_id": str(hand.room_id),
        "session": hand.session,
        "nickname": hand.nickname,
        "raised": hand.raised,
    }


class Hands:
    """Commands of a session's raised hands."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def raise_hand(self, caller: Caller, room_id: UUID) -> Result:
        """Raise the caller's hand in the running session (raised already: nothing changes)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            live_session(unit, actor)
            hand = unit.find(Hand, Hand.id_for(room_id, actor.session, actor.email))
            if hand is None:
                hand = unit.add(Hand(room_id, actor.session, actor.email, actor.nickname, unit.now))
            else:
                hand.raise_again(unit.now)
            return Result(Outcome.DONE, hand_body(hand))

        return self.runner.run(command)

    def lower(self, caller: Caller, room_id: UUID, hand_id: UUID | None = None) -> Result:
        """Lower the caller's own hand, or (a host or presenter) the hand ``hand_id``."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            own = Hand.id_for(room_id, actor.session, actor.email)
            if hand_id is not None and hand_id != own:
                require_presenter(actor, "lower someone else's hand")
            hand = unit.find(Hand, hand_id or own)
            if hand is None or hand.room_id != room_id:
                if hand_id is None:  # never raised: down already
                    return Result(Outcome.DONE, {**self._down(actor), "hand_id": str(own)})
                raise NotFoundError("no such hand in this room")
            hand.lower("self" if hand.id == own else f"{actor.role}:{actor.email}", unit.now)
            return Result(Outcome.DONE, hand_body(hand))

        return self.runner.run(command)

    @staticmethod
    def _down(actor: Actor) -> dict[str, Any]:
        return {
            "room_id": str(actor.room_id),
            "session": actor.session,
            "nickname": actor.nickname,
            "raised": False,
        }

    def reader(self, caller: Caller, room_id: UUID) -> Actor:
        """Who reads the room's hand queue: resolved, nothing written."""
        return reading_actor(self.runner, self.actors, caller, room_id)
