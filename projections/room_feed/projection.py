"""Room events to the room feed: one row per event of a room's aggregates, in the log's order.

A created event routes its stream to a room, a session and an audience (``room_streams``); the
stream's later events follow it there by originator id (decision 0014). Sets, not lists: the
aggregates come from ``kinds.room_aggregates()``, so a concern added under domain/live/ is in
the feed without a change here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from eventsourcing.domain import Aggregate

from projections.room_feed.kinds import (
    is_created,
    iso,
    kind_of,
    payload_of,
    room_aggregates,
    room_topics,
    routing,
    time_of,
)
from projections.store import Cursor

NAME = "room_feed"


class RoomFeedProjection:
    """The per-room feed that the gateway follows, resumes from and replays."""

    name: str = NAME
    tables: tuple[str, ...] = ("room_feed", "room_streams")

    def __init__(self, aggregates: Sequence[type[Aggregate]] | None = None) -> None:
        self.aggregates = list(aggregates) if aggregates is not None else room_aggregates()
        self.topics: tuple[str, ...] = room_topics(self.aggregates)

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        stream = str(event.originator_id)
        if is_created(event):
            routed = routing(event)
            if routed is None:
                return
            room_id, session, audience = str(routed[0]), routed[1], routed[2]
            cursor.execute(
                "INSERT INTO room_streams (stream_id, room_id, session, audience) "
                "VALUES (%s, %s, %s, %s)",
                (stream, room_id, session, audience),
            )
        else:
            cursor.execute(
                "SELECT room_id, session, audience FROM room_streams WHERE stream_id = %s",
                (stream,),
            )
            row = cursor.fetchone()
            if row is None:
                return  # a stream of no room (its created event named none)
            room_id, session, audience = row["room_id"], int(row["session"]), row["audience"]
        payload = orjson.dumps(payload_of(event)).decode()
        at = time_of(event)
        if at is not None:
            # An event that carries no time (a stream's opening, a board's shown CTA) is
            # written by the same command as the timed event after it: it takes that time.
            cursor.execute(
                "UPDATE room_feed SET at = %s WHERE room_id = %s AND session = %s AND at IS NULL",
                (iso(at), room_id, session),
            )
        cursor.execute(
            "INSERT INTO room_feed "
            "(room_id, session, position, stream_id, kind, audience, payload, at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (room_id, session, position, stream, kind_of(event), audience, payload, at and iso(at)),
        )
