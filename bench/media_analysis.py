"""From the media bench's raw counters to fps, loss and glass-to-glass latency (pure).

A subscriber's packet is ``(seq, rtp_timestamp, marker, arrival)``; the publisher's frame is
``(pts, sent_at)``; both times are ``time.monotonic`` of the same machine. Every sender on
the way may add its own constant to RTP timestamps (aiortc starts each stream at a random
one; MediaRelay's decoder maps them to 0 first), so the offset of a subscriber's timestamps
from the publisher's pts is found by votes: the publisher's pts steps are irregular
(``media_peers.pts_step``), so only the true offset lines up many frames. A path that
re-encodes may round a timestamp by a tick or two (MediaRelay's does), hence ``SLACK``.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

Packet = tuple[int, int, int, float]
MOD32 = 1 << 32
SLACK = 2  # ticks of 1/90,000 s
LOOKBACK = 5.0  # s: the most a frame may be late and still be matched (the SFU queues 4 s)


@dataclass
class Frame:
    ts: int
    last_seq: int  # extended sequence number of its marker packet
    arrival: float  # when its last packet arrived
    complete: bool


@dataclass
class Subscriber:
    fps: float
    frames_expected: int
    frames_lost: int
    video_packets: tuple[int, int]  # (received, expected) in the window
    audio_packets: tuple[int, int]
    latencies: list[float] = field(default_factory=list)


def extend(packets: Sequence[Packet]) -> list[tuple[int, int, int, float]]:
    """Sequence numbers unwrapped past 65,535, in arrival order (late RTX repairs included)."""
    out, last = [], None
    for seq, ts, marker, arrival in packets:
        ext = seq if last is None else last + ((seq - last + 32768) % 65536) - 32768
        last = max(ext, last) if last is not None else ext
        out.append((ext, ts, marker, arrival))
    return out


def frames(packets: Sequence[Packet]) -> list[Frame]:
    """Frames in sequence order; complete when no packet between it and the last is missing."""
    by_seq: dict[int, tuple[int, int, float]] = {}
    for ext, ts, marker, arrival in extend(packets):
        if ext not in by_seq:
            by_seq[ext] = (ts, marker, arrival)
    arrivals: dict[int, float] = {}
    for _ext, (ts, _m, arrival) in by_seq.items():
        arrivals[ts] = max(arrivals.get(ts, 0.0), arrival)
    markers = sorted(ext for ext, (_, marker, _) in by_seq.items() if marker)
    out: list[Frame] = []
    for previous, ext in itertools.pairwise(markers):
        ts = by_seq[ext][0]
        complete = all(s in by_seq for s in range(previous + 1, ext + 1))
        out.append(Frame(ts, ext, arrivals[ts], complete))
    return out


def offset(
    received: Sequence[Frame], sent: Sequence[tuple[int, float]], since: float
) -> int | None:
    """The constant the path added to the publisher's pts, by votes: each complete frame
    arriving from ``since`` on votes for every frame sent up to ``LOOKBACK`` s before it."""
    votes: Counter[int] = Counter()
    for frame in [f for f in received if f.complete and f.arrival >= since][:60]:
        for pts, sent_at in sent:
            if frame.arrival - LOOKBACK <= sent_at <= frame.arrival:
                votes[(frame.ts - pts) % MOD32] += 1
    if not votes:
        return None
    near = {d: sum(votes.get((d + k) % MOD32, 0) for k in range(-SLACK, SLACK + 1)) for d in votes}
    best = max(near, key=lambda d: (near[d], votes[d]))
    return best if near[best] >= 5 else None


def packet_loss(packets: Sequence[Packet], t0: float, t1: float) -> tuple[int, int]:
    seqs = {ext for ext, _, _, arrival in extend(packets) if t0 <= arrival <= t1}
    return (len(seqs), max(seqs) - min(seqs) + 1) if seqs else (0, 0)


def subscriber(
    video: Sequence[Packet],
    audio: Sequence[Packet],
    sent: Sequence[tuple[int, float]],
    t0: float,
    t1: float,
) -> Subscriber:
    received = frames(video)
    d = offset(received, sent, t0)
    arrived = (
        {(f.ts - d) % MOD32: f.arrival for f in received if f.complete} if d is not None else {}
    )
    due = [(pts, at) for pts, at in sent if t0 <= at <= t1 - 1.0]
    latencies = []
    for pts, at in due:
        match = next((k for k in range(-SLACK, SLACK + 1) if (pts + k) % MOD32 in arrived), None)
        if match is not None:
            latencies.append(arrived[(pts + match) % MOD32] - at)
    return Subscriber(
        fps=sum(1 for f in received if f.complete and t0 <= f.arrival <= t1) / (t1 - t0),
        frames_expected=len(due),
        frames_lost=len(due) - len(latencies),
        video_packets=packet_loss(video, t0, t1),
        audio_packets=packet_loss(audio, t0, t1),
        latencies=latencies,
    )


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def loss(parts: Sequence[tuple[int, int]]) -> float:
    received, expected = sum(p[0] for p in parts), sum(p[1] for p in parts)
    return 1 - received / expected if expected else float("nan")
