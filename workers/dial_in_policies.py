"""What follows a live session's end for its phone calls: the toll-free minutes are charged.

One charge per session (``Billing.charge_dial_in``: from the balance first, the rest by card),
under the key of the session's ``Ended`` event, so a replayed or raced end charges nothing more.
The minutes come from the call detail records (``projections/dial_in_calls``), which must have
seen the end first; each call counts up to its own end or its session's, whichever is earlier.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic as topic

from commands.billing import Billing
from commands.store import EventStore
from domain.dial_in import TOLL_FREE_RATE_PER_MINUTE
from domain.live.calls import Call
from domain.live_session import LiveSession
from domain.room import Room
from domain.subaccount import Subaccount
from projections.dial_in_calls.view import DialInCallsView
from projections.projector import Projector
from workers.policies import NotReadyError, caused_by

SESSION_ENDED = topic(LiveSession.Ended)
# What the records need to have seen: the calls, and the session's end (its own read model).
RECORDS_READ = (topic(Call.Dialled), topic(Call.Joined), topic(Call.Ended), SESSION_ENDED)


class ChargeDialIn:
    """A session ended: its toll-free minutes are charged to the room's account, once."""

    name: str = "charge_dial_in"
    topics: tuple[str, ...] = (SESSION_ENDED,)

    def __init__(
        self, store: EventStore, billing: Billing, projector: Projector, calls: DialInCallsView
    ) -> None:
        self.store, self.billing = store, billing
        self.projector, self.calls = projector, calls

    def react(self, event: Any, notification: Notification) -> None:
        session = self.store.load(event.originator_id)
        assert isinstance(session, LiveSession)
        if self.projector.wait_for(notification.id, RECORDS_READ):
            raise NotReadyError("the call records have not reached the session's end")
        minutes, cost = self.calls.toll_free_cost(str(session.room_id), session.n)
        if not cost:
            return  # nobody called toll-free: nothing to charge
        room = self.store.load(session.room_id)
        assert isinstance(room, Room)
        rate = TOLL_FREE_RATE_PER_MINUTE
        self.billing.charge_dial_in(
            self.payer(room.account_id),
            cost,
            f"toll-free dial-in, {room.settings.name} session {session.n}: "
            f"{minutes} min at {rate.amount} cents",
            caused_by(self.name, notification),
            session=(session.room_id, session.n),
        )

    def payer(self, account_id: UUID) -> UUID:
        """The account that pays: a subaccount's rooms are paid for by its parent."""
        try:
            owner = self.store.load(account_id)
        except AggregateNotFoundError:
            return account_id
        return owner.parent_id if isinstance(owner, Subaccount) else account_id
