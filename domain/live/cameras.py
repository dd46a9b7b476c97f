"""Camera feeds of a session: who shows a camera, who an avatar, and the plan's limit on feeds.

``CameraFeeds`` (id from room + session) is written at presenter speed (a handful of people
turn a camera on or off), and it is the one stream every camera change writes: two people
racing for the last feed both write the same version of it, one of them is retried, sees the
feeds full and is refused. That is how the plan's limit (4 feeds, up to 7 with the camera-feed
add-on) holds under a race without a lock (decision 0018).

Presenters and hosts may turn their camera on; an attendee only once a presenter has asked
them on camera. With the camera off a person on stage shows their avatar instead.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import LimitExceededError
from domain.ids import derived_id
from domain.plans import BASE_CAMERA_FEEDS, MAX_EXTRA_CAMERA_FEEDS, AddOn

MOST_FEEDS = BASE_CAMERA_FEEDS + MAX_EXTRA_CAMERA_FEEDS
CAMERA = "camera"
AVATAR = "avatar"


def feeds_full(limit: int) -> LimitExceededError:
    """The refusal of one feed more, naming the add-on that raises the limit."""
    if limit < MOST_FEEDS:
        return LimitExceededError(
            f"all {limit} camera feeds are in use: the camera feed add-on ({AddOn.CAMERA_FEED}) "
            f"allows up to {MOST_FEEDS}; turn a camera off or show an avatar instead"
        )
    return LimitExceededError(
        f"all {limit} camera feeds are in use, the most the camera feed add-on "
        f"({AddOn.CAMERA_FEED}) allows; turn a camera off or show an avatar instead"
    )


class CameraFeeds(CheapCopy, Aggregate):
    """Who is on a session's stage, each showing a camera or an avatar."""

    class Opened(Aggregate.Created):
        room_id: UUID
        session: int

    class GuestAsked(Aggregate.Event):
        email: str
        at: datetime

    class CameraOn(Aggregate.Event):
        email: str
        nickname: str
        at: datetime

    class CameraOff(Aggregate.Event):
        email: str
        nickname: str
        why: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int) -> UUID:
        return CameraFeeds.id_for(room_id, session)

    @staticmethod
    def id_for(room_id: UUID, session: int) -> UUID:
        return derived_id("camera-feeds", f"{room_id}:{session}")

    @event(Opened)
    def __init__(self, room_id: UUID, session: int) -> None:
        self.room_id, self.session = room_id, session
        self.shows: dict[str, str] = {}  # email -> camera | avatar
        self.guests: list[str] = []  # attendees a presenter asked on camera

    @property
    def in_use(self) -> list[str]:
        """Who holds a feed (a camera on), in the order they took it."""
        return [email for email, shows in self.shows.items() if shows == CAMERA]

    def may_use_camera(self, email: str, presents: bool) -> bool:
        return presents or email in self.guests

    def ask_guest(self, email: str, at: datetime) -> bool:
        """Let an attendee turn their camera on; False when already asked."""
        if email in self.guests:
            return False
        self._guest_asked(email, at)
        return True

    @event(GuestAsked)
    def _guest_asked(self, email: str, at: datetime) -> None:
        self.guests.append(email)

    def turn_on(self, email: str, nickname: str, limit: int, at: datetime) -> bool:
        """Take a feed; refused when ``limit`` are in use. False when it already is on."""
        if self.shows.get(email) == CAMERA:
            return False
        if len(self.in_use) >= limit:
            raise feeds_full(limit)
        self._on(email, nickname, at)
        return True

    @event(CameraOn)
    def _on(self, email: str, nickname: str, at: datetime) -> None:
        self.shows.pop(email, None)  # re-inserted last: feeds keep the order they were taken
        self.shows[email] = CAMERA

    def turn_off(self, email: str, nickname: str, why: str, at: datetime) -> bool:
        """Give the feed back and show an avatar; False when the camera was not on."""
        if self.shows.get(email) != CAMERA and not (why == AVATAR and email not in self.shows):
            return False
        self._off(email, nickname, why, at)
        return True

    @event(CameraOff)
    def _off(self, email: str, nickname: str, why: str, at: datetime) -> None:
        if why == AVATAR:
            self.shows[email] = AVATAR
        else:
            self.shows.pop(email, None)  # left the session: off the stage
