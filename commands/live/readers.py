"""Who reads a live room's read models (chat history, questions, hands, calls to action)."""

from __future__ import annotations

from uuid import UUID

from commands.live.actors import Actor, Actors, Caller
from commands.unit_of_work import CommandRunner, UnitOfWork


def reading_actor(runner: CommandRunner, actors: Actors, caller: Caller, room_id: UUID) -> Actor:
    """The actor ``caller`` is in ``room_id``, resolved in a unit of work that saves nothing: a
    GET shows a participant their session and a presenter every one."""
    unit = UnitOfWork(runner.store, runner.clock.now(), "read")
    return actors.resolve(unit, room_id, caller)
