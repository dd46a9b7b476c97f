"""The floor of the stack for the room bench: a bare ASGI WebSocket broadcast on uvicorn.

    python -m bench.ws_bare PORT

No Podium, no FastAPI: every socket gets a queue and a writer task (the same shape as the
gateway's), and a text frame ``broadcast:<payload>`` from any socket puts ``<payload>`` on
every queue. What the room gateway costs is then the difference from this, measured in the
same run on the same uvicorn and websockets.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import uvicorn

QUEUES: set[asyncio.Queue[str]] = set()
PREFIX = "broadcast:"


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while (message := await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    queue: asyncio.Queue[str] = asyncio.Queue()
    QUEUES.add(queue)

    async def write() -> None:
        while True:
            await send({"type": "websocket.send", "text": await queue.get()})

    writer = asyncio.create_task(write())
    try:
        while (message := await receive())["type"] == "websocket.receive":
            text = message.get("text") or ""
            if text.startswith(PREFIX):
                payload = text[len(PREFIX) :]
                for each in list(QUEUES):
                    each.put_nowait(payload)
    finally:
        QUEUES.discard(queue)
        writer.cancel()


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", lifespan="on")
