"""Calls to action in a live session (decision 0014).

A host or presenter displays a call to action for all: a description of at most 54 characters
(spaces included), a button's text, the target URL (http or https) and a display time of 1 to
7 minutes. It stays until a presenter hides it for all, another one replaces it, or its time is
up (the policy runner hides it then, ``workers/cta_policies.py``).

- ``CallToAction``: one stream per call to action displayed.
- ``CtaBoard`` (id from room + session): which one is shown now, so at most one is, written at
  presenter speed only.
- ``CtaClick`` (id from call to action + person): each person's clicks, created by their first,
  so a room clicking at once writes one new stream each. Counted two ways: attendees (people
  who clicked, once each) and clicks (every click).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, NotFoundError, RuleViolationError
from domain.ids import derived_id

MAX_DESCRIPTION = 54
MAX_BUTTON = 30
MAX_URL = 2000
MIN_MINUTES, MAX_MINUTES = 1, 7
BY_PRESENTER, TIME_UP, REPLACED = "presenter", "time_up", "replaced"


def check_description(text: str) -> str:
    kept = text.strip()
    if not kept:
        raise InvalidRequestError("a call to action needs a description")
    if len(kept) > MAX_DESCRIPTION:
        raise InvalidRequestError(
            f"a call to action's description is at most {MAX_DESCRIPTION} characters, "
            f"spaces included; this one has {len(kept)}"
        )
    return kept


def check_button(text: str) -> str:
    kept = text.strip()
    if not kept or len(kept) > MAX_BUTTON:
        raise InvalidRequestError(f"the button's text is 1 to {MAX_BUTTON} characters")
    return kept


def check_url(url: str) -> str:
    kept = url.strip()
    parts = urlsplit(kept)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(kept) > MAX_URL:
        raise InvalidRequestError("the target URL must be an http or https address")
    return kept


def check_minutes(minutes: int) -> int:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InvalidRequestError(
            f"a call to action is displayed for {MIN_MINUTES} to {MAX_MINUTES} minutes"
        )
    return minutes


class CallToAction(CheapCopy, Aggregate):
    """One call to action, displayed for all until hidden."""

    class Displayed(Aggregate.Created):
        room_id: UUID
        session: int
        description: str
        button_text: str
        url: str
        minutes: int
        by: str
        at: datetime
        hides_at: datetime

    class Hidden(Aggregate.Event):
        how: str
        by: str
        at: datetime

    @event(Displayed)
    def __init__(
        self,
        room_id: UUID,
        session: int,
        description: str,
        button_text: str,
        url: str,
        minutes: int,
        by: str,
        at: datetime,
        hides_at: datetime,
    ) -> None:
        self.room_id, self.session = room_id, session
        self.description, self.button_text, self.url = description, button_text, url
        self.minutes, self.displayed_at, self.hides_at = minutes, at, hides_at
        self.hidden_how: str | None = None
        self.hidden_at: datetime | None = None

    @classmethod
    def display(
        cls,
        room_id: UUID,
        session: int,
        content: tuple[str, str, str],
        minutes: int,
        by: str,
        at: datetime,
    ) -> CallToAction:
        """A call to action of ``content`` (description, button text, URL), each checked."""
        description, button, url = content
        return cls(
            room_id,
            session,
            check_description(description),
            check_button(button),
            check_url(url),
            check_minutes(minutes),
            by,
            at,
            at + timedelta(minutes=minutes),
        )

    @property
    def shown(self) -> bool:
        return self.hidden_at is None

    def hide(self, how: str, by: str, at: datetime) -> bool:
        """Hide it for all; False when it was hidden already."""
        if not self.shown:
            return False
        self._hidden(how, by, at)
        return True

    @event(Hidden)
    def _hidden(self, how: str, by: str, at: datetime) -> None:
        self.hidden_how, self.hidden_at = how, at


class CtaBoard(CheapCopy, Aggregate):
    """Which call to action a session shows now (at most one)."""

    class Opened(Aggregate.Created):
        room_id: UUID
        session: int

    class Shown(Aggregate.Event):
        cta_id: UUID

    class Cleared(Aggregate.Event):
        cta_id: UUID

    @staticmethod
    def create_id(room_id: UUID, session: int) -> UUID:
        return CtaBoard.id_for(room_id, session)

    @staticmethod
    def id_for(room_id: UUID, session: int) -> UUID:
        return derived_id("live-cta-board", f"{room_id}:{session}")

    @event(Opened)
    def __init__(self, room_id: UUID, session: int) -> None:
        self.room_id, self.session = room_id, session
        self.shown: UUID | None = None

    def show(self, cta_id: UUID) -> None:
        self._shown(cta_id)

    @event(Shown)
    def _shown(self, cta_id: UUID) -> None:
        self.shown = cta_id

    def clear(self, cta_id: UUID) -> None:
        """No call to action shown, if ``cta_id`` was the one."""
        if self.shown == cta_id:
            self._cleared(cta_id)

    @event(Cleared)
    def _cleared(self, cta_id: UUID) -> None:
        self.shown = None


class CtaClick(CheapCopy, Aggregate):
    """One person's clicks on one call to action."""

    class Clicked(Aggregate.Created):
        room_id: UUID
        session: int
        cta_id: UUID
        email: str  # presenters only, as every field named email (decision 0014)
        at: datetime

    class ClickedAgain(Aggregate.Event):
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int, cta_id: UUID, email: str, at: datetime) -> UUID:
        return CtaClick.id_for(cta_id, email)

    @staticmethod
    def id_for(cta_id: UUID, email: str) -> UUID:
        return derived_id("live-cta-click", f"{cta_id}:{email}")

    @event(Clicked)
    def __init__(self, room_id: UUID, session: int, cta_id: UUID, email: str, at: datetime) -> None:
        self.cta_id, self.email = cta_id, email
        self.clicks = 1

    def click_again(self, at: datetime) -> None:
        self._clicked_again(at)

    @event(ClickedAgain)
    def _clicked_again(self, at: datetime) -> None:
        self.clicks += 1


def check_clickable(cta: CallToAction | None, room_id: UUID, session: int) -> CallToAction:
    """The call to action clicked, which must be shown in this session of the room now."""
    if cta is None or cta.room_id != room_id or cta.session != session:
        raise NotFoundError("no such call to action in this room")
    if not cta.shown:
        raise RuleViolationError("this call to action is not shown any more")
    return cta
