"""The media bench's server process: the stock MediaRelay path or Podium's SFU (``bench.sfu``).

    taskset -c 1 python -m bench.media_server relay|sfu --port PORT

Signalling is one JSON line each way over TCP: ``{"role": "publish"|"receive", "email",
"sdp"}`` answered by ``{"sdp"}`` (or ``{"error"}``). Prints ``ready`` when listening.

- ``relay``: aiortc's own way to fan one track out: one decoding RTCPeerConnection for the
  publisher, ``aiortc.contrib.media.MediaRelay`` over its tracks, and per subscriber an
  RTCPeerConnection sending ``relay.subscribe(track)`` (so aiortc encodes per subscriber). A
  ``MediaBlackhole`` drains the relay from the start, so frames decoded before the first
  subscriber do not pile up in the receiver's queue.
- ``sfu``: ``media.sfu.Sfu``: ``negotiate(peer, offer)`` for each, then ``apply(graph)`` with a
  ForwardingGraph in which every subscriber receives the presenter's audio and video. With
  ``--record webm`` the graph also records both tracks with the recorder's own sinks
  (``media.recording.raw.RawRecorder``); ``--record null`` into sinks that only count (the
  SFU's share of recording alone).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaBlackhole, MediaRelay

from commands.live.media import Peer, Purpose
from media.graph import ForwardingGraph, Source

ROOM_ID = uuid.UUID("00000000-0000-4000-8000-00000000be9c")
SESSION = 1
PRESENTER = "presenter@bench.example"


class RelayServer:
    def __init__(self) -> None:
        self.relay = MediaRelay()
        self.tracks: dict[str, MediaStreamTrack] = {}
        self.published = asyncio.Event()
        self.pcs: list[RTCPeerConnection] = []
        self.drains: list[MediaBlackhole] = []
        self.starting: list[asyncio.Future[None]] = []

    async def publish(self, email: str, offer: str) -> str:
        pc = RTCPeerConnection()
        self.pcs.append(pc)

        @pc.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            self.tracks[track.kind] = track
            drain = MediaBlackhole()
            drain.addTrack(self.relay.subscribe(track))
            self.drains.append(drain)
            self.starting.append(asyncio.ensure_future(drain.start()))
            if len(self.tracks) == 2:
                self.published.set()

        await pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return str(pc.localDescription.sdp)

    async def receive(self, email: str, offer: str) -> str:
        await asyncio.wait_for(self.published.wait(), timeout=30)
        pc = RTCPeerConnection()
        self.pcs.append(pc)
        await pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
        for kind in ("audio", "video"):
            pc.addTrack(self.relay.subscribe(self.tracks[kind]))
        await pc.setLocalDescription(await pc.createAnswer())
        return str(pc.localDescription.sdp)


class CountingSink:
    """A recording sink that keeps nothing: the SFU's side of recording, without the writer."""

    def __init__(self) -> None:
        self.packets = 0

    def write(self, packet: Any, keyframe: bool, wallclock: float) -> None:
        self.packets += 1

    def close(self) -> None:
        pass


def recording_sinks(record: str, directory: str) -> Any:
    """The factory ``Sfu.recording_sinks`` calls per recorded source (``--record``)."""
    if record == "null":
        return lambda graph, source, codec: CountingSink()
    from media.recording.raw import RawRecorder  # the recorder's own: raw WebM per track

    return RawRecorder(Path(directory) / "raw")


class SfuServer:
    """Drives media.sfu.Sfu as the media plane does: negotiate each peer, then apply a graph."""

    def __init__(self, record: str | None, directory: str) -> None:
        from media.sfu import Sfu  # only this mode needs the SFU's code

        self.sfu = Sfu()
        if record:
            self.sfu.recording_sinks = recording_sinks(record, directory)
        self.recorded = (Source(PRESENTER, "audio"), Source(PRESENTER, "video")) if record else ()
        self.viewers: list[str] = []

    def peer(self, email: str, purpose: Purpose) -> Peer:
        presents = purpose is Purpose.PUBLISH
        return Peer(ROOM_ID, SESSION, email, email.split("@")[0], presents, purpose)

    def graph(self) -> ForwardingGraph:
        sources: tuple[Source, ...] = (Source(PRESENTER, "audio"), Source(PRESENTER, "video"))
        receives = {v: sources for v in self.viewers}
        take = 1 if self.recorded else None
        return ForwardingGraph(ROOM_ID, SESSION, receives, recorded=self.recorded, take=take)

    async def publish(self, email: str, offer: str) -> str:
        answer = await self.sfu.negotiate(self.peer(email, Purpose.PUBLISH), offer)
        self.sfu.apply(self.graph())
        return str(answer)

    async def receive(self, email: str, offer: str) -> str:
        answer = await self.sfu.negotiate(self.peer(email, Purpose.RECEIVE), offer)
        self.viewers.append(email)
        self.sfu.apply(self.graph())
        return str(answer)


class LoopLag:
    """How late a 10 ms sleep wakes: whether the server's own loop fell behind, not its peers."""

    def __init__(self) -> None:
        self.samples: list[float] = []

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            before = loop.time()
            await asyncio.sleep(0.01)
            self.samples.append(loop.time() - before - 0.01)

    def since(self, start: int) -> dict[str, float]:
        window = sorted(self.samples[start:]) or [0.0]
        return {"p50_ms": 1000 * window[len(window) // 2], "max_ms": 1000 * window[-1]}


async def serve(args: argparse.Namespace) -> None:
    server: RelayServer | SfuServer
    server = RelayServer() if args.mode == "relay" else SfuServer(args.record, args.directory)
    lag = LoopLag()
    probe = asyncio.ensure_future(lag.run())
    marks: dict[str, int] = {}

    async def stats(request: dict[str, Any]) -> dict[str, Any]:
        """``mark``: start a window; ``stats``: the loop's lag since, and the SFU's counters."""
        if request["role"] == "mark":
            marks["t0"] = len(lag.samples)
            return {}
        out: dict[str, Any] = {"loop_lag": lag.since(marks.get("t0", 0))}
        if isinstance(server, SfuServer):
            totals = server.sfu.stats().as_dict()
            slots = totals.pop("slots")
            assert isinstance(slots, dict)
            out["sfu"] = {k: v for k, v in totals.items() if k != "sources"}
            out["sfu"]["overflows"] = sum(c["overflows"] for c in slots.values())
        return out

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = json.loads(await reader.readline())
            answer: dict[str, Any]
            if request["role"] in ("mark", "stats"):
                answer = await stats(request)
            else:
                handler = server.publish if request["role"] == "publish" else server.receive
                answer = {"sdp": await handler(request["email"], request["sdp"])}
        except Exception as exc:  # the bench reports it and stops; nothing to recover
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        writer.write(json.dumps(answer).encode() + b"\n")
        await writer.drain()
        writer.close()

    listener = await asyncio.start_server(handle, "127.0.0.1", args.port)
    print("ready", flush=True)
    async with listener:
        await listener.serve_forever()
    probe.cancel()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["relay", "sfu"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--record", choices=["null", "webm"], help="sfu: record both tracks")
    parser.add_argument("--directory", default="var/bench-recording", help="where sinks write")
    args = parser.parse_args()
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
