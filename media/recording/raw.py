"""Raw tracks: each recorded source's forwarded packets remuxed into WebM, untouched (0022).

A take's raw files live under ``<data>/recordings/raw/<room>/<session>/<take>/``: one file per
*segment* of a source (``<email hash>-<kind>-<n>.webm``: a source leaves the recording in
presenters-only mode and comes back as a new segment of the same take) and ``manifest.json``,
rewritten atomically whenever a segment opens or closes, saying which segments exist, the wall
clock each starts at and whether it is closed. The composer reads only the manifest and the
closed files.

Timestamps are wall-clock milliseconds since the segment's first packet (the segment's start in
the manifest is that packet's wall clock), so the segments of one take line up and a gap in
the forwarding is a real gap in the file. A video segment starts on a keyframe: packets before
the first keyframe are dropped (the SFU asks the publisher for one when recording starts).

``write`` runs inline on the SFU's event loop: it copies the payload into a new packet (the
forwarded one goes on to subscribers, its pts untouched) and hands it to the muxer, which
writes each one-second cluster as it closes; the only other file work is the manifest at a
segment's open and close.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any
from uuid import UUID

import av

from media.graph import ForwardingGraph, Source
from media.recording import PacketSink

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
MILLISECONDS = Fraction(1, 1000)  # Matroska's own time base: nothing is rounded twice
# The container for each codec the SFU forwards: WebM takes VP8/VP9 and Opus, H.264 needs
# Matroska proper.
CONTAINERS = {"vp8": "webm", "vp9": "webm", "opus": "webm", "h264": "matroska"}
SUFFIXES = {"webm": ".webm", "matroska": ".mkv"}
# The muxer holds a whole cluster in memory (5 s by default) and its writes in a buffer: a
# crashed media process would lose all of that. One-second clusters, handed to the file as they
# close, lose at most a second (the composer reads an unfinished file as far as it goes).
CRASH_SAFE = {"cluster_time_limit": "1000", "flush_packets": "1"}


def email_hash(email: str) -> str:
    """A file name for a person that does not spell out their email."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]


def take_directory(root: Path, room_id: UUID | str, session: int, take: int) -> Path:
    """Where one take's raw tracks are, under the recordings' raw root."""
    return root / str(room_id) / str(session) / str(take)


@dataclass
class Segment:
    """One uninterrupted stretch of one source in a take, as the manifest tells it."""

    file: str
    email_hash: str
    kind: str
    codec: str
    start: float | None = None  # wall clock (s) of its first packet; None: none yet
    closed: bool = False
    packets: int = 0
    interrupted: bool = False  # left open by a media process that stopped; read as it is


class Manifest:
    """A take's segments, written atomically (temporary file, then rename) on each change."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.segments: list[Segment] = read_manifest(directory)
        # Loaded from disk, so no sink of this process writes them: segments left open there
        # were a media process's that died. Closed now, the composer need not wait for them.
        for segment in self.segments:
            if not segment.closed:
                segment.closed, segment.interrupted = True, True

    def add(self, source: Source, codec: str) -> Segment:
        container = CONTAINERS.get(codec, "matroska")
        who = email_hash(source.email)
        n = sum(1 for s in self.segments if s.email_hash == who and s.kind == source.kind) + 1
        segment = Segment(f"{who}-{source.kind}-{n}{SUFFIXES[container]}", who, source.kind, codec)
        self.segments.append(segment)
        self.save()
        return segment

    def save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"segments": [asdict(s) for s in self.segments]}, indent=1)
        temporary = self.directory / f".{MANIFEST}.tmp"
        temporary.write_text(body)
        os.replace(temporary, self.directory / MANIFEST)


def read_manifest(directory: Path) -> list[Segment]:
    """The segments a take's manifest lists (none when it has none yet)."""
    try:
        body = json.loads((directory / MANIFEST).read_text())
    except FileNotFoundError:
        return []
    return [Segment(**s) for s in body["segments"]]


def vp8_size(keyframe: bytes) -> tuple[int, int] | None:
    """A VP8 keyframe's picture size (RFC 6386 9.1), None when ``keyframe`` is not one."""
    if len(keyframe) < 10 or keyframe[3:6] != b"\x9d\x01\x2a":
        return None
    width = int.from_bytes(keyframe[6:8], "little") & 0x3FFF
    height = int.from_bytes(keyframe[8:10], "little") & 0x3FFF
    return width, height


class TrackSink:
    """A ``PacketSink`` for one segment: packets remuxed into its file, no re-encode."""

    def __init__(self, manifest: Manifest, source: Source, codec: str) -> None:
        self.manifest = manifest
        self.segment = manifest.add(source, codec)
        self.video = source.kind == "video"
        self.codec = codec
        self._container: Any = None
        self._stream: Any = None
        self._last_pts = -1

    def _open(self, wallclock: float, first: bytes) -> None:
        path = self.manifest.directory / self.segment.file
        container = av.open(
            str(path), "w", format=CONTAINERS.get(self.codec, "matroska"), options=CRASH_SAFE
        )
        stream = container.add_stream(self.codec)
        stream.time_base = MILLISECONDS
        context: Any = stream.codec_context  # audio or video: the codec name says which
        if not self.video:
            context.sample_rate = 48_000
            context.layout = "stereo"  # what WebRTC's Opus is negotiated as
        elif (size := vp8_size(first)) is not None:
            # The track header's picture size, so players size the window before decoding.
            context.width, context.height = size
        self._container, self._stream = container, stream
        self.segment.start = wallclock
        self.manifest.save()

    def write(self, packet: av.Packet[Any], keyframe: bool, wallclock: float) -> None:
        """Remux ``packet`` at its wall-clock time (see the module's docstring)."""
        if self.segment.closed:
            return
        if self._container is None:
            if self.video and not keyframe:
                return  # a video file starts on a keyframe; the SFU sends one soon
            self._open(wallclock, bytes(packet))
        assert self.segment.start is not None
        # Strictly increasing, as the muxer wants; wall clock only ever moves on anyway.
        pts = max(self._last_pts + 1, round((wallclock - self.segment.start) * 1000))
        copy = av.Packet(bytes(packet))
        copy.stream = self._stream
        copy.time_base = MILLISECONDS
        copy.pts = copy.dts = pts
        copy.is_keyframe = keyframe or not self.video
        self._container.mux(copy)
        self._last_pts = pts
        self.segment.packets += 1

    def close(self) -> None:
        """Finish the file and mark the segment closed in the manifest (idempotent)."""
        if self.segment.closed:
            return
        self.segment.closed = True
        if self._container is not None:
            try:
                self._container.close()
            except av.FFmpegError:
                log.exception("could not finish %s", self.segment.file)
        self.manifest.save()


class RawRecorder:
    """The SFU's ``recording_sinks`` factory: a ``TrackSink`` per source entering a take.

    Keeps each take's manifest in memory (the SFU's event loop is its only writer), so sinks of
    one take add their segments to one manifest.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._manifests: dict[Path, Manifest] = {}

    def __call__(self, graph: ForwardingGraph, source: Source, codec_name: str) -> PacketSink:
        if graph.take is None:
            raise ValueError("a source is recorded only within a take")
        directory = take_directory(self.root, graph.room_id, graph.session, graph.take)
        # Takes whose segments are all closed need not stay in memory: a sink reopened in one
        # reads its manifest back (and finds nothing open).
        self._manifests = {
            d: m
            for d, m in self._manifests.items()
            if d == directory or not all(s.closed for s in m.segments)
        }
        manifest = self._manifests.get(directory)
        if manifest is None:
            manifest = self._manifests[directory] = Manifest(directory)
        return TrackSink(manifest, source, codec_name.lower())

    def segments(self, room_id: UUID, session: int, take: int) -> list[Segment]:
        """A take's segments as its sinks have them now (packet counts are live here; the
        manifest on disk has them as of the last open or close)."""
        manifest = self._manifests.get(take_directory(self.root, room_id, session, take))
        return list(manifest.segments) if manifest is not None else []
