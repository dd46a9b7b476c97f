"""What follows a live session's end (decision 0013): the live slot freed, thank-you mails.

Still to come here, with their sections of issue 8: the dial-in charges of a session
(``Billing.charge_dial_in``, section 5), a call to action hidden when its time is up
(section 3) and no new recording once the allowance is used up (section 4). Each is one more
``Policy`` in ``policies()`` below, issuing its command under ``caused_by``.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Notification

from commands.reactions import Reactions
from commands.store import EventStore
from domain.admission import Admission
from domain.live_session import LiveSession
from projections.projector import Projector
from projections.rooms.view import RoomsView
from workers.policies import NotReadyError, Policy, caused_by


def topic(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


SESSION_ENDED = topic(LiveSession.Ended)
ADMITTED = topic(Admission.Admitted)
ADMISSIONS_READ_MODEL = "rooms"  # the projection that keeps the admissions rows


class FreeLiveSlot:
    """A session ended: the account's live slot it held is free, so another event may start."""

    name: str = "free_live_slot"
    topics: tuple[str, ...] = (SESSION_ENDED,)

    def __init__(self, store: EventStore, reactions: Reactions) -> None:
        self.store, self.reactions = store, reactions

    def react(self, event: Any, notification: Notification) -> None:
        session = self.store.load(event.originator_id)
        assert isinstance(session, LiveSession)
        self.reactions.free_live_slot(session.room_id, caused_by(self.name, notification))


class ThankParticipants:
    """A session ended: each participant with an email gets the thank-you email, once."""

    name: str = "thank_participants"
    topics: tuple[str, ...] = (SESSION_ENDED,)

    def __init__(
        self, store: EventStore, reactions: Reactions, projector: Projector, rooms: RoomsView
    ) -> None:
        self.store, self.reactions = store, reactions
        self.projector, self.rooms = projector, rooms

    def react(self, event: Any, notification: Notification) -> None:
        session = self.store.load(event.originator_id)
        assert isinstance(session, LiveSession)
        # Who took part is the admissions read model; it must have seen the session's end
        # (every admission before it). A read model stopped or behind: not this event's fault.
        if ADMISSIONS_READ_MODEL in self.projector.wait_for(notification.id, (ADMITTED,)):
            raise NotReadyError("the admissions read model has not reached the session's end")
        emails = [
            str(row["email"])
            for row in self.rooms.admissions(str(session.room_id))
            if row["session"] == session.n
        ]
        self.reactions.thank_participants(
            session.room_id, session.n, emails, caused_by(self.name, notification)
        )


def policies(
    store: EventStore, reactions: Reactions, projector: Projector, rooms: RoomsView
) -> list[Policy]:
    """Every write-side policy, in the order a round runs them."""
    return [FreeLiveSlot(store, reactions), ThankParticipants(store, reactions, projector, rooms)]
