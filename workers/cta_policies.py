"""A call to action hides itself when its display time is up (issue 8, section 3).

The policy reads each ``CallToAction.Displayed``; its reaction is due at the display's
``hides_at``, so the runner holds the event until the injected clock gets there (decision 0013,
addendum), then issues ``expire`` under the display's ``caused_by`` key. ``expire`` looks again:
a call to action a presenter hid or another one replaced meanwhile stays as it is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.persistence import Notification

from commands.live.cta import CtaExpiry
from domain.live.cta import CallToAction
from workers.policies import caused_by

DISPLAYED = f"{CallToAction.Displayed.__module__}:{CallToAction.Displayed.__qualname__}"


class HideCallToAction:
    """A displayed call to action is hidden for all once its minutes are over."""

    name: str = "hide_call_to_action"
    topics: tuple[str, ...] = (DISPLAYED,)

    def __init__(self, expiry: CtaExpiry) -> None:
        self.expiry = expiry

    def due(self, event: Any) -> datetime:
        hides_at: datetime = event.hides_at
        return hides_at

    def react(self, event: Any, notification: Notification) -> None:
        self.expiry.expire(event.originator_id, caused_by(self.name, notification))
