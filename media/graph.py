"""The forwarding graph of one session: who receives which track, what is recorded (0022).

Pure: no aiortc, no I/O. ``media.reconciler`` computes it from the session's aggregates (audio
mode, mutes and voice, camera feeds, recording, lock, end) and the connected peers; the SFU
obeys it (``Sfu.apply``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

Kind = Literal["audio", "video"]


@dataclass(frozen=True, order=True)
class Source:
    """One publisher's track of one kind."""

    email: str
    kind: Kind


@dataclass(frozen=True)
class ForwardingGraph:
    room_id: UUID
    session: int
    # For each subscriber (by email): the sources it receives, in slot order (the first video
    # source takes the first video slot, and so on). A subscriber absent receives nothing.
    receives: dict[str, tuple[Source, ...]] = field(default_factory=dict)
    # The sources the recorder takes (empty when not recording or in presenters-only mode),
    # and the recording take they belong to.
    recorded: tuple[Source, ...] = ()
    take: int | None = None
    # The session is over: every peer is closed and nothing is forwarded.
    ended: bool = False

    def forwards(self, source: Source) -> bool:
        """Whether any subscriber or the recorder takes ``source``."""
        return source in self.recorded or any(source in s for s in self.receives.values())
