"""Recording: raw per-track WebM remuxed from forwarded packets, composed per take (0022, 0025).

``raw.RawRecorder(settings.recordings_raw_dir)`` is the SFU's ``recording_sinks`` factory;
``compose.compose`` makes one file of a take (run by ``workers.composer``).
"""

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
