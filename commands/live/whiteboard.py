"""The whiteboard in a running session: draw, let attendees draw, clear (decision 0018).

A stroke or note is its own new stream (``Mark``); the session's ``Whiteboard`` is read, not
written, by a mark, so an audience drawing at once never contends. Turning collaborate on or
off and clearing are presenters' (the host's too).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.errors import PermissionDeniedError
from commands.live.actors import Actor, Actors, Caller, live_session, require_presenter, viewer
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.live.whiteboard import Mark, MarkKind, Whiteboard, mark_shape


def board_of(unit: UnitOfWork, actor: Actor) -> Whiteboard:
    """The session's whiteboard, opened (collaborate off, nothing cleared) on first use."""
    board = unit.find(Whiteboard, Whiteboard.id_for(actor.room_id, actor.session))
    return board or unit.add(Whiteboard(actor.room_id, actor.session))


def board_body(board: Whiteboard) -> dict[str, Any]:
    return {
        "room_id": str(board.room_id),
        "session": board.session,
        "collaborate": board.collaborate,
        "generation": board.generation,
    }


class Whiteboards:
    """The command service of a session's whiteboard."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def viewer(self, room_id: UUID, caller: Caller) -> Actor:
        return viewer(self.runner, self.actors, room_id, caller)

    def collaborate(self, room_id: UUID, caller: Caller, on: bool) -> Result:
        """Let attendees draw (on) or leave the board to presenters (off)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "turn collaborate on or off")
            live_session(unit, actor)
            board = board_of(unit, actor)
            board.set_collaborate(on, actor.email, unit.now)
            return Result(Outcome.DONE, board_body(board))

        return self.runner.run(command)

    def clear(self, room_id: UUID, caller: Caller) -> Result:
        """Wipe the board for everyone, late joiners included."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "clear the whiteboard")
            live_session(unit, actor)
            board = board_of(unit, actor)
            board.clear(actor.email, unit.now)
            return Result(Outcome.DONE, board_body(board))

        return self.runner.run(command)

    def draw(
        self,
        room_id: UUID,
        caller: Caller,
        kind: MarkKind,
        points: list[list[float]],
        text: str | None,
        colour: str,
        width: int,
    ) -> Result:
        """Add a stroke or a note; an attendee only while collaborate is on."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            live_session(unit, actor)
            board = unit.find(Whiteboard, Whiteboard.id_for(actor.room_id, actor.session))
            collaborate = board is not None and board.collaborate
            if not actor.presents and not collaborate:
                raise PermissionDeniedError(
                    "collaborate is off: only presenters may draw on the whiteboard now"
                )
            shape = mark_shape(kind, points, text, colour, width)
            generation = board.generation if board is not None else 0
            mark = unit.add(
                Mark(
                    actor.room_id,
                    actor.session,
                    generation,
                    kind.value,
                    shape,
                    actor.email,
                    actor.nickname,
                    actor.presents,
                    unit.now,
                )
            )
            body = {"mark_id": str(mark.id), "kind": kind.value, "generation": generation}
            return Result(Outcome.DONE, body | shape)

        return self.runner.run(command)
