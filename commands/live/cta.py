"""Calls to action in a live session: display for all, hide for all, click; hidden by the
policy runner when the display time is up (``workers/cta_policies.py``).

Display and hide write the call to action's stream and the session's ``CtaBoard`` (which one
is shown), at presenter speed. A click writes only the clicker's own ``CtaClick`` stream.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.live.actors import Actor, Actors, Caller, live_session, require_presenter
from commands.live.readers import reading_actor
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.errors import NotFoundError
from domain.live.cta import (
    BY_PRESENTER,
    REPLACED,
    TIME_UP,
    CallToAction,
    CtaBoard,
    CtaClick,
    check_clickable,
)


def cta_body(cta: CallToAction) -> dict[str, Any]:
    return {
        "cta_id": str(cta.id),
        "room_id": str(cta.room_id),
        "session": cta.session,
        "description": cta.description,
        "button_text": cta.button_text,
        "url": cta.url,
        "minutes": cta.minutes,
        "displayed_at": cta.displayed_at.isoformat(),
        "hides_at": cta.hides_at.isoformat(),
        "shown": cta.shown,
        "hidden_how": cta.hidden_how,
    }


def hide(unit: UnitOfWork, cta: CallToAction, how: str, by: str) -> bool:
    """Hide ``cta`` for all and clear it from its session's board; False if hidden already."""
    if not cta.hide(how, by, unit.now):
        return False
    board = unit.find(CtaBoard, CtaBoard.id_for(cta.room_id, cta.session))
    if board is not None:
        board.clear(cta.id)
    return True


class CallsToAction:
    """Commands of a session's calls to action."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def display(
        self,
        caller: Caller,
        room_id: UUID,
        content: tuple[str, str, str],
        minutes: int,
        idempotency: Idempotency | None = None,
    ) -> Result:
        """Display a call to action of ``content`` (description, button text, URL) for all,
        for ``minutes``; one shown already is hidden (replaced)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "display a call to action")
            live_session(unit, actor)
            by = f"{actor.role}:{actor.email}"
            cta = CallToAction.display(room_id, actor.session, content, minutes, by, unit.now)
            board = self._board(unit, actor)
            if board.shown is not None:
                unit.get(CallToAction, board.shown).hide(REPLACED, by, unit.now)
            board.show(unit.add(cta).id)
            return Result(Outcome.CREATED, cta_body(cta))

        return self.runner.run(command, idempotency)

    def hide(self, caller: Caller, room_id: UUID, cta_id: UUID | None = None) -> Result:
        """Hide for all the call to action ``cta_id`` (default: the one shown now)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "hide a call to action")
            wanted = cta_id
            if wanted is None:
                board = unit.find(CtaBoard, CtaBoard.id_for(room_id, actor.session))
                wanted = board.shown if board is not None else None
                if wanted is None:
                    raise NotFoundError("no call to action is shown")
            cta = unit.find(CallToAction, wanted)
            if cta is None or cta.room_id != room_id:
                raise NotFoundError("no such call to action in this room")
            hide(unit, cta, BY_PRESENTER, f"{actor.role}:{actor.email}")
            return Result(Outcome.DONE, cta_body(cta))

        return self.runner.run(command)

    def click(self, caller: Caller, room_id: UUID, cta_id: UUID) -> Result:
        """A participant clicks the shown call to action's button: counted once per person
        (and each click); the answer gives the URL to open."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            cta = check_clickable(unit.find(CallToAction, cta_id), room_id, actor.session)
            click = unit.find(CtaClick, CtaClick.id_for(cta.id, actor.email))
            if click is None:
                click = unit.add(CtaClick(room_id, cta.session, cta.id, actor.email, unit.now))
            else:
                click.click_again(unit.now)
            body = {"cta_id": str(cta.id), "url": cta.url, "your_clicks": click.clicks}
            return Result(Outcome.DONE, body)

        return self.runner.run(command)

    @staticmethod
    def _board(unit: UnitOfWork, actor: Actor) -> CtaBoard:
        board = unit.find(CtaBoard, CtaBoard.id_for(actor.room_id, actor.session))
        return board if board is not None else unit.add(CtaBoard(actor.room_id, actor.session))

    def reader(self, caller: Caller, room_id: UUID) -> Actor:
        """Who reads the room's calls to action: resolved, nothing written."""
        return reading_actor(self.runner, self.actors, caller, room_id)


class CtaExpiry:
    """The policy runner's command: a call to action's display time is up."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def expire(self, cta_id: UUID, idempotency: Idempotency) -> Result:
        """The display time of ``cta_id`` is up: hidden for all, unless it was hidden already
        (by a presenter, or replaced). Run by the policy runner under the display's key."""

        def command(unit: UnitOfWork) -> Result:
            cta = unit.find(CallToAction, cta_id)
            if cta is None:
                return Result(Outcome.DONE, {"cta_id": str(cta_id), "hidden": False})
            hidden = hide(unit, cta, TIME_UP, "policy:hide_call_to_action")
            return Result(Outcome.DONE, {**cta_body(cta), "hidden": hidden})

        return self.runner.run(command, idempotency)
