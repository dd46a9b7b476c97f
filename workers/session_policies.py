"""What follows a live session's end (decision 0013): the live slot freed, thank-you mails;
and a session nobody is in any more ending by itself once the room's grace period has passed.

Still to come here, with their sections of issue 8: the dial-in charges of a session
(``Billing.charge_dial_in``, section 5), a call to action hidden when its time is up
(section 3) and no new recording once the allowance is used up (section 4). Each is one more
``Policy`` in ``policies()`` below, issuing its command under ``caused_by``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic as topic

from commands.live.cta import CtaExpiry
from commands.live.recording import RecordingReactions
from commands.reactions import NotDueError, Reactions
from commands.store import EventStore
from domain.admission import Admission
from domain.live_session import LiveSession
from domain.room import Room
from projections.projector import Projector
from projections.rooms.view import RoomsView
from workers.cta_policies import HideCallToAction
from workers.policies import NotReadyError, Policy, caused_by
from workers.recording_policies import recording_policies

SESSION_ENDED = topic(LiveSession.Ended)
ADMITTED = topic(Admission.Admitted)
LEFT = topic(Admission.Left)
# What moves a person in or out of a session, as the admissions read model sees it.
PRESENCE = (ADMITTED, LEFT, topic(Admission.Reentered))
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


class EndEmptySessions:
    """Someone left: if nobody is in their session once the room's grace period (default 30
    minutes) has passed since, the session ends by itself (``left_empty``) and is thanked like
    any other end. Each leave carries its own due time; only the last leave of an emptied
    session finds it still empty then (whoever came back and left again set a later one)."""

    name: str = "end_empty_sessions"
    topics: tuple[str, ...] = (LEFT,)

    def __init__(
        self, store: EventStore, reactions: Reactions, projector: Projector, rooms: RoomsView
    ) -> None:
        self.store, self.reactions = store, reactions
        self.projector, self.rooms = projector, rooms

    def _admission(self, event: Any) -> Admission:
        admission = self.store.load(event.originator_id)
        assert isinstance(admission, Admission)
        return admission

    def due(self, event: Any) -> datetime | None:
        """When the session the person left may end by itself: their leave plus the grace."""
        room = self.store.load(self._admission(event).room_id)
        assert isinstance(room, Room)
        left: datetime = event.at
        return left + timedelta(minutes=room.settings.empty_session_grace_minutes)

    def react(self, event: Any, notification: Notification) -> None:
        admission = self._admission(event)
        due = self.due(event)
        assert due is not None
        # Who is in now is the admissions read model, brought up to the log's head: a join or
        # a return after this leave keeps the session open.
        head = self.store.recorder.max_notification_id() or notification.id
        if ADMISSIONS_READ_MODEL in self.projector.wait_for(head, PRESENCE):
            raise NotReadyError("the admissions read model has not reached the log's head")
        present = [
            row
            for row in self.rooms.admissions(str(admission.room_id))
            if row["session"] == admission.session and row["left_at"] is None
        ]
        if present:
            return  # someone is in; their own leave will start its own grace period
        try:
            self.reactions.end_left_empty(
                admission.room_id, admission.session, due, caused_by(self.name, notification)
            )
        except NotDueError as early:
            # A runner that reacts before an event's due time: wait at this event (leaves come
            # in order of their times, so the ones behind it are due later still).
            raise NotReadyError(str(early)) from early


def policies(
    store: EventStore, reactions: Reactions, projector: Projector, rooms: RoomsView
) -> list[Policy]:
    """Every write-side policy, in the order a round runs them."""
    return [
        FreeLiveSlot(store, reactions),
        ThankParticipants(store, reactions, projector, rooms),
        EndEmptySessions(store, reactions, projector, rooms),
        HideCallToAction(CtaExpiry(reactions.runner)),
        *recording_policies(store, RecordingReactions(reactions.runner)),
    ]
