"""The SFU's own counters (aiortc's ``getStats`` counts RTX and media together, and nothing
about what a forwarder drops)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class SourceCounters:
    """One publisher's track, as it arrives at the SFU."""

    frames_in: int = 0
    bytes_in: int = 0
    keyframes_in: int = 0
    # Frames nobody takes (no subscriber slot, no recorder): dropped here, the graph enforced.
    frames_unrouted: int = 0
    # Asked for by subscribers, slot switches, overflows and the recorder...
    keyframe_requests_received: int = 0
    # ...and what the publisher actually heard (throttled, repeated until a keyframe).
    keyframe_requests_sent: int = 0


@dataclass
class SlotCounters:
    """One subscriber's slot (a server-side track on its receive connection)."""

    frames_forwarded: int = 0
    bytes_forwarded: int = 0
    # Dropped for this subscriber: queue overflow, or waiting for a keyframe after one.
    frames_dropped: int = 0
    overflows: int = 0
    keyframe_requests: int = 0  # PLI/FIR from the subscriber
    switches: int = 0  # times the slot's source changed


@dataclass(frozen=True)
class SfuStats:
    """A snapshot: ``sources`` keyed ``room/session/email/kind``, ``slots`` keyed
    ``room/session/subscriber/kindN`` (N the slot index)."""

    sources: dict[str, SourceCounters] = field(default_factory=dict)
    slots: dict[str, SlotCounters] = field(default_factory=dict)

    @property
    def frames_in(self) -> int:
        return sum(c.frames_in for c in self.sources.values())

    @property
    def frames_forwarded(self) -> int:
        return sum(c.frames_forwarded for c in self.slots.values())

    @property
    def frames_dropped(self) -> int:
        return sum(c.frames_dropped for c in self.slots.values()) + sum(
            c.frames_unrouted for c in self.sources.values()
        )

    @property
    def keyframe_requests_sent(self) -> int:
        return sum(c.keyframe_requests_sent for c in self.sources.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "sources": {key: asdict(c) for key, c in self.sources.items()},
            "slots": {key: asdict(c) for key, c in self.slots.items()},
            "frames_in": self.frames_in,
            "frames_forwarded": self.frames_forwarded,
            "frames_dropped": self.frames_dropped,
            "keyframe_requests_sent": self.keyframe_requests_sent,
        }
