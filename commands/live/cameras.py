"""Camera feeds in a running session: turn a camera on or off, ask an attendee on camera.

Every camera change writes the session's ``CameraFeeds`` stream, so two people racing for the
last feed collide on one version and the retried one is refused (decision 0018). The limit is
the room owner's (plan plus camera-feed add-ons), read in the same unit of work. A feed held by
someone who has since left the session is given back when the feeds are full.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.errors import PermissionDeniedError
from commands.live.actors import Actor, Actors, Caller, live_session, require_presenter, viewer
from commands.rooms import account_limits
from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.admission import Admission
from domain.errors import NotFoundError
from domain.live.cameras import AVATAR, CameraFeeds
from domain.room import Room

LEFT = "left"


def feeds_of(unit: UnitOfWork, actor: Actor) -> CameraFeeds:
    feeds = unit.find(CameraFeeds, CameraFeeds.id_for(actor.room_id, actor.session))
    return feeds or unit.add(CameraFeeds(actor.room_id, actor.session))


def feeds_body(feeds: CameraFeeds, limit: int) -> dict[str, Any]:
    return {
        "room_id": str(feeds.room_id),
        "session": feeds.session,
        "limit": limit,
        "in_use": len(feeds.in_use),
        "shows": dict(feeds.shows),
    }


class Cameras:
    """The command service of a session's camera feeds."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def viewer(self, room_id: UUID, caller: Caller) -> Actor:
        return viewer(self.runner, self.actors, room_id, caller)

    def camera(self, room_id: UUID, caller: Caller, on: bool) -> Result:
        """Turn the caller's camera on (taking a feed) or off (showing their avatar)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            live_session(unit, actor)
            feeds = feeds_of(unit, actor)
            limit = account_limits(unit, unit.get(Room, room_id, "room").account_id).camera_feeds
            if not on:
                feeds.turn_off(actor.email, actor.nickname, AVATAR, unit.now)
            elif not feeds.may_use_camera(actor.email, actor.presents):
                raise PermissionDeniedError(
                    "a presenter must ask you on camera before you can turn yours on"
                )
            else:
                if len(feeds.in_use) >= limit:
                    self._give_back_feeds_of_the_gone(unit, actor, feeds)
                feeds.turn_on(actor.email, actor.nickname, limit, unit.now)
            return Result(Outcome.DONE, feeds_body(feeds, limit))

        return self.runner.run(command)

    def ask_on_camera(self, room_id: UUID, caller: Caller, email: str) -> Result:
        """Let an attendee of this session turn their camera on."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "ask someone on camera")
            live_session(unit, actor)
            guest = unit.find(Admission, Admission.id_for(room_id, actor.session, email))
            if guest is None or not guest.present:
                raise NotFoundError("nobody with that email is in this session")
            feeds = feeds_of(unit, actor)
            feeds.ask_guest(guest.email, unit.now)
            limit = account_limits(unit, unit.get(Room, room_id, "room").account_id).camera_feeds
            return Result(Outcome.DONE, feeds_body(feeds, limit))

        return self.runner.run(command)

    @staticmethod
    def _give_back_feeds_of_the_gone(unit: UnitOfWork, actor: Actor, feeds: CameraFeeds) -> None:
        """Free the feeds of people who left the session (at most seven admissions read)."""
        for email in feeds.in_use:
            admission = unit.find(Admission, Admission.id_for(actor.room_id, actor.session, email))
            if admission is not None and not admission.present:
                feeds.turn_off(email, admission.nickname, LEFT, unit.now)
