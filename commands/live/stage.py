"""The stage of a running session: the presentation and page, the shared video (decision 0018).

Presenters (and the host) change it; each change is one event on the session's ``Stage``
stream that says the whole of what it changes, so a late joiner reads one row.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.live.actors import Actor, Actors, Caller, live_session, require_presenter, viewer
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.live.stage import Stage


def stage_of(unit: UnitOfWork, actor: Actor) -> Stage:
    stage = unit.find(Stage, Stage.id_for(actor.room_id, actor.session))
    return stage or unit.add(Stage(actor.room_id, actor.session))


def stage_body(stage: Stage) -> dict[str, Any]:
    video = None
    if stage.video is not None:
        video = {
            "video_id": stage.video["video_id"],
            "position": stage.video["position_ms"] / 1000,
            "playing": stage.video["playing"],
        }
    return {
        "room_id": str(stage.room_id),
        "session": stage.session,
        "presentation": stage.presentation,
        "video": video,
    }


class Stages:
    """The command service of a session's stage."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def viewer(self, room_id: UUID, caller: Caller) -> Actor:
        return viewer(self.runner, self.actors, room_id, caller)

    def _change(self, room_id: UUID, caller: Caller, what: str, change: Any) -> Result:
        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, what)
            live_session(unit, actor)
            stage = stage_of(unit, actor)
            change(stage, actor.email, unit)
            return Result(Outcome.DONE, stage_body(stage))

        return self.runner.run(command)

    def show_presentation(
        self, room_id: UUID, caller: Caller, file_id: str, name: str, page: int
    ) -> Result:
        """Show a file at a page to everyone (turning the page is showing it again)."""
        return self._change(
            room_id,
            caller,
            "show a presentation",
            lambda stage, by, unit: stage.show_presentation(file_id, name, page, by, unit.now),
        )

    def stop_presentation(self, room_id: UUID, caller: Caller) -> Result:
        return self._change(
            room_id,
            caller,
            "stop a presentation",
            lambda stage, by, unit: stage.stop_presentation(by, unit.now),
        )

    def show_video(
        self,
        room_id: UUID,
        caller: Caller,
        video_id: str | None,
        position_ms: int,
        playing: bool,
    ) -> Result:
        """Share a video, or play, pause or seek the shared one."""
        return self._change(
            room_id,
            caller,
            "share a video",
            lambda stage, by, unit: stage.show_video(video_id, position_ms, playing, by, unit.now),
        )

    def stop_video(self, room_id: UUID, caller: Caller) -> Result:
        return self._change(
            room_id,
            caller,
            "stop a video",
            lambda stage, by, unit: stage.stop_video(by, unit.now),
        )
