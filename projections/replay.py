"""A room's read models as they stood at a position of the log (decision 0029).

The room's events up to the position (every stream the feed routes to the room, all its
sessions, so a language or a poll chosen in an earlier session counts) are read from the
event store, decoded, and applied in the log's order by fresh instances of the live
projections to a scratch store. The result is what the live read models held when the
projector stood at that position, as far as this room is concerned: the same code, the same
events, the same order. The decoded events come back too, for state that lives in an
aggregate rather than a read model (the session's audio).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.utils import get_topic

from projections.projector import Decoder, Projection
from projections.room_feed.kinds import room_aggregates, room_topics
from projections.room_feed.view import RoomFeedView
from projections.scratch import ScratchReadStore

BATCH = 1000


@dataclass
class Replayed:
    """The room's read models at ``position`` in ``store``, and the events that made them."""

    room_id: str
    position: int
    store: ScratchReadStore
    events: list[tuple[int, Any]]  # (position, decoded event), in the log's order


class RoomReplay:
    """Builds a room's read models at a past position, from the log."""

    def __init__(
        self,
        recorder: ApplicationRecorder,
        decode: Decoder,
        feed: RoomFeedView,
        projections: Callable[[], Sequence[Projection]],
    ) -> None:
        self.recorder, self.decode, self.feed = recorder, decode, feed
        self.projections = projections
        self.topics = sorted(room_topics(room_aggregates()))
        self._template: ScratchReadStore | None = None
        self._lock = threading.Lock()

    def template(self) -> ScratchReadStore:
        with self._lock:
            if self._template is None:
                self._template = ScratchReadStore.migrated()
            return self._template

    def at(self, room_id: str, position: int) -> Replayed:
        """The room's read models with every room event at or before ``position`` applied."""
        projections = list(self.projections())
        store = self.template().copy()
        events = self.events(room_id, position)
        with store.transaction() as cursor:
            for at, event in events:
                topic = get_topic(type(event))
                for projection in projections:
                    if not projection.topics or topic in projection.topics:
                        projection.apply(cursor, event, at)
        return Replayed(room_id, position, store, events)

    def events(self, room_id: str, position: int) -> list[tuple[int, Any]]:
        """The room's events up to ``position``, decoded, in order (raw notifications are
        filtered by id before decoding, so other rooms' events in the range cost a read only)."""
        wanted = {int(row["position"]) for row in self.feed.streams(room_id, position)}
        if not wanted:
            return []
        start, decoded = min(wanted) - 1, []
        while True:
            notifications = self.recorder.select_notifications(
                start, BATCH, stop=position, topics=self.topics, inclusive_of_start=False
            )
            for notification in notifications:
                if notification.id in wanted:
                    decoded.append((notification.id, self.decode(notification)))
            if len(notifications) < BATCH:
                return decoded
            start = notifications[-1].id
