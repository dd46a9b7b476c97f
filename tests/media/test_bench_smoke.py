"""The media bench's arithmetic (``bench.media_analysis``): what it calls lost, late and received.

The bench's figures are only as good as this matching of a subscriber's packets to the
publisher's frames, so it is checked here on made-up traces whose answer is known.
"""

from __future__ import annotations

from bench import media_analysis as analysis
from bench.media_peers import pts_step
from bench.sfu import split

SENT_AT = 100.0
FIRST_SEQ = 65_450  # the 16-bit sequence numbers wrap inside the window
T0, T1 = SENT_AT + 0.5, SENT_AT + 4.0  # the window starts after the first frames


def published(frames: int) -> list[tuple[int, float]]:
    """The publisher's (pts, sent_at) for ``frames`` frames at 30 fps."""
    sent, pts = [], 0
    for i in range(frames):
        sent.append((pts, SENT_AT + i / 30))
        pts += pts_step(i)
    return sent


def received(
    sent: list[tuple[int, float]],
    offset: int,
    latency: float,
    packets_per_frame: int = 3,
    lose: frozenset[int] = frozenset(),
    jitter: int = 0,
) -> list[tuple[int, int, int, float]]:
    """A subscriber's packets for ``sent``, RTP timestamps shifted by ``offset`` (mod 2^32),
    sequence numbers starting near the wrap, with the packets numbered in ``lose`` missing."""
    out, seq = [], FIRST_SEQ
    for i, (pts, at) in enumerate(sent):
        ts = (pts + offset + (jitter if i % 2 else -jitter)) % analysis.MOD32
        for k in range(packets_per_frame):
            if seq - FIRST_SEQ not in lose:
                out.append((seq % 65_536, ts, int(k == packets_per_frame - 1), at + latency))
            seq += 1
    return out


def test_a_clean_trace_has_every_frame_at_its_latency_whatever_offset_the_path_added() -> None:
    sent = published(120)
    video = received(sent, offset=(1 << 32) - 5_000, latency=0.012)
    result = analysis.subscriber(video, [], sent, T0, T1)

    assert result.frames_lost == 0
    assert result.frames_expected == 76  # sent in [t0, t1 - 1 s]
    assert all(abs(x - 0.012) < 1e-9 for x in result.latencies)
    assert result.video_packets == (315, 315)  # arrived in the window, across the wrap
    assert 29 <= result.fps <= 30.1


def test_a_missing_packet_loses_its_frame_and_shows_as_packet_loss() -> None:
    sent = published(120)
    video = received(sent, offset=123_456, latency=0.02, lose=frozenset({91}))  # frame 30
    result = analysis.subscriber(video, [], sent, T0, T1)

    assert result.frames_lost == 1
    received_packets, expected = result.video_packets
    assert expected - received_packets == 1


def test_a_re_encoding_path_that_rounds_timestamps_by_a_tick_still_matches() -> None:
    sent = published(120)
    video = received(sent, offset=777, latency=0.05, jitter=1)
    result = analysis.subscriber(video, [], sent, T0, T1)

    assert result.frames_lost == 0
    assert all(abs(x - 0.05) < 1e-9 for x in result.latencies)


def test_frames_never_received_are_lost_not_ignored() -> None:
    sent = published(120)
    video = received(sent[:60], offset=0, latency=0.01)  # the subscriber stopped at 2 s
    result = analysis.subscriber(video, [], sent, T0, T1)

    assert result.frames_expected == 76
    assert result.frames_lost == 31  # frames 60..90 were due and never came


def test_subscribers_are_split_evenly_over_processes() -> None:
    assert split(10, 3) == [(0, 4), (4, 3), (7, 3)]
    assert split(2, 5) == [(0, 1), (1, 1)]


def test_no_wrong_offset_within_the_lookback_lines_up_the_publishers_frames() -> None:
    """A frame k frames later never sits at the same pts distance (within the slack) from
    every frame: otherwise the offset vote could pick it, and all latencies be k/30 s off."""
    pts = [pts for pts, _ in published(900)]
    for k in range(1, int(analysis.LOOKBACK * 30) + 30):
        gaps = {pts[i + k] - pts[i] for i in range(0, 900 - k, 7)}
        assert max(gaps) - min(gaps) > 2 * analysis.SLACK, k
