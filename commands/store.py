"""The event store: one eventsourcing Application holding every aggregate of Podium.

One Application, so one notification log in one global order, and so a command that touches
several aggregates (an upgrade changes the Account and appends to its Ledger) saves them in one
transaction. See docs/decisions/0001-one-event-store.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import MutableOrImmutableAggregate
from eventsourcing.persistence import Transcoder

from domain.account import Account
from domain.ledger import Ledger


class EventStore(Application[UUID]):
    """Where every event of Podium is appended, and every aggregate is read from."""

    name = "podium"
    snapshotting_intervals: ClassVar[dict[type[MutableOrImmutableAggregate[Any]], int]] = {
        Account: 50,
        Ledger: 50,
    }

    def __init__(self, env: Mapping[str, str], transcoder: Transcoder) -> None:
        self._transcoder = transcoder
        super().__init__(env)

    def construct_transcoder(self) -> Transcoder:
        return self._transcoder
