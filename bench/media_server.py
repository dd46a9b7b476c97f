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
  ForwardingGraph in which every subscriber receives the presenter's audio and video.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid
from typing import Any

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaBlackhole, MediaRelay

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


class SfuServer:
    """Drives media.sfu.Sfu as the media plane does: negotiate each peer, then apply a graph."""

    def __init__(self) -> None:
        from media import sfu as sfu_module

        self.sfu_module = sfu_module
        self.sfu: Any = sfu_module.Sfu()
        self.viewers: list[str] = []

    def peer(self, email: str, role: str) -> Any:
        return self.sfu_module.Peer(room_id=ROOM_ID, session=SESSION, email=email, role=role)

    def graph(self) -> ForwardingGraph:
        sources = (Source(PRESENTER, "audio"), Source(PRESENTER, "video"))
        return ForwardingGraph(ROOM_ID, SESSION, receives={v: sources for v in self.viewers})

    async def publish(self, email: str, offer: str) -> str:
        answer = await self.sfu.negotiate(self.peer(email, "publish"), offer)
        self.sfu.apply(self.graph())
        return str(answer)

    async def receive(self, email: str, offer: str) -> str:
        answer = await self.sfu.negotiate(self.peer(email, "receive"), offer)
        self.viewers.append(email)
        self.sfu.apply(self.graph())
        return str(answer)


async def serve(mode: str, port: int) -> None:
    server: RelayServer | SfuServer = RelayServer() if mode == "relay" else SfuServer()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = json.loads(await reader.readline())
            handler = server.publish if request["role"] == "publish" else server.receive
            answer: dict[str, str] = {"sdp": await handler(request["email"], request["sdp"])}
        except Exception as exc:  # the bench reports it and stops; nothing to recover
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        writer.write(json.dumps(answer).encode() + b"\n")
        await writer.drain()
        writer.close()

    listener = await asyncio.start_server(handle, "127.0.0.1", port)
    print("ready", flush=True)
    async with listener:
        await listener.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["relay", "sfu"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.mode, args.port))


if __name__ == "__main__":
    main()
