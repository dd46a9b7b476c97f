"""One file per take, made from its raw segments off the forwarding path (0022).

The take's timeline starts at its earliest segment's first packet (wall clock) and ends at the
latest segment's last. On it:
- **audio**: every audio segment decoded and placed at its wall-clock offset, summed (and
  clipped) in blocks of 20 ms, so a take of any length mixes in constant memory; Opus out;
- **video**: at each output frame (a fixed rate), the video segment present at that moment that
  started first (the first presenter on camera keeps the picture until they leave it, then the
  next one in order of arrival), held from its latest frame; black where no camera is on. The
  picture is re-encoded (VP8) at the first video segment's size, as presenters' sizes differ.

A segment cut short (its media process crashed: never closed) is read as far as it decodes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from media.recording.raw import Segment

log = logging.getLogger(__name__)

RATE = 48_000
BLOCK = 960  # samples per output audio frame: 20 ms, Opus's usual
FPS = 30
DEFAULT_SIZE = (640, 360)
Samples = np.ndarray[Any, np.dtype[np.float32]]


@dataclass(frozen=True)
class Composed:
    """What the composer made: its length and its media type."""

    seconds: float
    content_type: str


@dataclass(frozen=True)
class Placed:
    """A segment on the take's timeline: its file, when it starts and ends (seconds)."""

    segment: Segment
    path: Path
    start: float
    end: float


def _packets(path: Path) -> Iterator[av.Packet[Any]]:
    """A file's packets, as many as can be read (a file never finished ends early)."""
    try:
        with av.open(str(path)) as container:
            stream = container.streams[0]
            for packet in container.demux(stream):
                if packet.size:
                    yield packet
    except (av.FFmpegError, OSError) as error:
        log.warning("raw segment %s read up to an error: %s", path.name, error)


def place(directory: Path, segments: list[Segment], origin: float | None = None) -> list[Placed]:
    """Where each segment with packets lies on the timeline (origin: the earliest start)."""
    usable = [s for s in segments if s.start is not None and (directory / s.file).exists()]
    if not usable:
        return []
    zero = origin if origin is not None else min(float(s.start or 0) for s in usable)
    placed = []
    for segment in usable:
        path = directory / segment.file
        last = None
        for packet in _packets(path):
            last = packet
        if last is None or last.pts is None or last.time_base is None:
            continue
        length = float(last.pts * last.time_base) + (
            BLOCK / RATE if segment.kind == "audio" else 1 / FPS
        )
        start = float(segment.start or 0) - zero
        placed.append(Placed(segment, path, start, start + length))
    return placed


def _decoded(path: Path, kind: str) -> Iterator[Any]:
    try:
        with av.open(str(path)) as container:
            stream = container.streams.audio[0] if kind == "audio" else container.streams.video[0]
            for packet in container.demux(stream):
                try:
                    yield from packet.decode()
                except av.FFmpegError:
                    continue  # one bad packet of a cut-short file: skip it, keep the rest
    except (av.FFmpegError, OSError) as error:
        log.warning("raw segment %s decoded up to an error: %s", path.name, error)


class AudioTrack:
    """One audio segment as samples on the timeline, decoded as the mix asks for them."""

    def __init__(self, placed: Placed) -> None:
        self.offset = round(placed.start * RATE)
        self.resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RATE)
        self.frames = self._frames(placed.path)
        self.buffer: Samples = np.zeros((2, 0), dtype=np.float32)
        self.buffer_start = self.offset
        self.done = False

    def _frames(self, path: Path) -> Iterator[tuple[int, Samples]]:
        for frame in _decoded(path, "audio"):
            at = self.offset + round(float(frame.time or 0) * RATE)
            chunks = [f.to_ndarray() for f in self.resampler.resample(frame)]
            if chunks:
                yield at, np.concatenate(chunks, axis=1).astype(np.float32)

    def take(self, start: int, n: int) -> Samples:
        """Samples ``start`` to ``start + n`` of the timeline (silence where it has none)."""
        end = start + n
        while not self.done and self.buffer_start + self.buffer.shape[1] < end:
            try:
                at, samples = next(self.frames)
            except StopIteration:
                self.done = True
                break
            buffered_end = self.buffer_start + self.buffer.shape[1]
            if at > buffered_end:  # a gap in the forwarding: silence, as it was
                gap = np.zeros((2, at - buffered_end), dtype=np.float32)
                self.buffer = np.concatenate([self.buffer, gap], axis=1)
            elif at < buffered_end:  # wall-clock jitter: drop what overlaps
                samples = samples[:, buffered_end - at :]
            self.buffer = np.concatenate([self.buffer, samples], axis=1)
        out = np.zeros((2, n), dtype=np.float32)
        lo, hi = max(start, self.buffer_start), min(end, self.buffer_start + self.buffer.shape[1])
        if hi > lo:
            out[:, lo - start : hi - start] = self.buffer[
                :, lo - self.buffer_start : hi - self.buffer_start
            ]
        used = max(0, min(end - self.buffer_start, self.buffer.shape[1]))
        self.buffer, self.buffer_start = self.buffer[:, used:], self.buffer_start + used
        return out


class VideoTrack:
    """One video segment's frames on the timeline: the latest one at or before a moment."""

    def __init__(self, placed: Placed) -> None:
        self.placed = placed
        self.frames = iter(_decoded(placed.path, "video"))
        self.current: Any = None
        self.upcoming: Any = next(self.frames, None)

    def at(self, moment: float) -> Any:
        while self.upcoming is not None and (
            self.placed.start + float(self.upcoming.time or 0) <= moment
        ):
            self.current, self.upcoming = self.upcoming, next(self.frames, None)
        return self.current


def _picture_size(videos: list[Placed]) -> tuple[int, int]:
    for placed in videos:
        with av.open(str(placed.path)) as container:
            context = container.streams.video[0].codec_context
            if context.width and context.height:
                return int(context.width), int(context.height)
    return DEFAULT_SIZE


def compose(directory: Path, segments: list[Segment], out: Path) -> Composed | None:
    """Compose a take's segments into one WebM at ``out``; None when there is nothing in them."""
    placed = place(directory, segments)
    if not placed:
        return None
    seconds = max(p.end for p in placed)
    audios = [p for p in placed if p.segment.kind == "audio"]
    videos = sorted((p for p in placed if p.segment.kind == "video"), key=lambda p: p.start)
    with av.open(str(out), "w", format="webm") as container:
        audio_out: Any = None
        video_out: Any = None
        if videos:
            width, height = _picture_size(videos)
            video_out = container.add_stream("libvpx", rate=FPS)
            video_out.width, video_out.height, video_out.pix_fmt = width, height, "yuv420p"
            video_out.bit_rate = 1_000_000
            video_out.codec_context.options = {"deadline": "realtime", "cpu-used": "8"}
        if audios:
            audio_out = container.add_stream("libopus", rate=RATE)
            audio_out.layout = "stereo"
        _write(container, audio_out, video_out, audios, videos, seconds)
    return Composed(seconds, "video/webm" if videos else "audio/webm")


def _write(
    container: Any,
    audio_out: Any,
    video_out: Any,
    audios: list[Placed],
    videos: list[Placed],
    seconds: float,
) -> None:
    """Interleave the mix and the picture, 20 ms of audio then the frames due by then."""
    tracks = [AudioTrack(p) for p in audios]
    cameras = [VideoTrack(p) for p in videos]
    total_samples = round(seconds * RATE) if audio_out is not None else 0
    total_frames = round(seconds * FPS) if video_out is not None else 0
    black = None
    if video_out is not None:
        black = av.VideoFrame(video_out.width, video_out.height, "yuv420p")
        for plane, value in zip(black.planes, (16, 128, 128), strict=True):
            plane.update(bytes([value]) * plane.buffer_size)
    sample, frame_number = 0, 0
    while sample < total_samples or frame_number < total_frames:
        if audio_out is not None and sample < total_samples:
            n = min(BLOCK, total_samples - sample)
            mixed = np.clip(sum(t.take(sample, n) for t in tracks), -1.0, 1.0)
            packed = np.ascontiguousarray(mixed.T.reshape(1, -1), dtype=np.float32)
            frame = av.AudioFrame.from_ndarray(packed, format="flt", layout="stereo")
            frame.sample_rate, frame.pts, frame.time_base = RATE, sample, Fraction(1, RATE)
            container.mux(audio_out.encode(frame))
        sample += BLOCK
        while video_out is not None and frame_number < min(total_frames, sample * FPS // RATE):
            moment = frame_number / FPS
            picture = None
            for camera in cameras:  # the first by start that is on at this moment
                if camera.placed.start <= moment < camera.placed.end:
                    picture = camera.at(moment)
                    if picture is not None:
                        break
            for camera in cameras:  # the others keep up, to be current when their turn comes
                camera.at(moment)
            out_frame: Any = black
            if picture is not None:
                out_frame = picture.reformat(video_out.width, video_out.height, "yuv420p")
            out_frame.pts, out_frame.time_base = frame_number, Fraction(1, FPS)
            container.mux(video_out.encode(out_frame))
            frame_number += 1
    if audio_out is not None:
        container.mux(audio_out.encode(None))
    if video_out is not None:
        container.mux(video_out.encode(None))
