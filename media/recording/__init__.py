"""Recording: raw per-track WebM remuxed from forwarded packets, composed per take (0022)."""

from __future__ import annotations

from typing import Any, Protocol

import av


class PacketSink(Protocol):
    """Takes one source's forwarded packets in order, from a keyframe on (video)."""

    def write(self, packet: av.Packet[Any], keyframe: bool, wallclock: float) -> None:
        """``packet`` as forwarded (its pts in its time base), received at ``wallclock`` (s)."""
        ...

    def close(self) -> None:
        """No more packets: finish the file (idempotent)."""
        ...
