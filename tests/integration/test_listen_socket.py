"""The API's listening socket: what uvicorn's event loop makes of the connections it accepts."""

from __future__ import annotations

import asyncio
import socket

from podium.startup import listen


async def _accepted_nodelay() -> int:
    sock = listen("127.0.0.1", 0)
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def handle(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = writer.get_extra_info("socket")
        accepted.set_result(connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(handle, sock=sock)
    try:
        _, writer = await asyncio.open_connection(*sock.getsockname())
        nodelay = await asyncio.wait_for(accepted, 10)
        writer.close()
        return nodelay
    finally:
        server.close()
        await server.wait_closed()


def test_accepted_connections_send_answers_without_waiting_for_an_ack() -> None:
    """Connections on ``listen``'s socket get TCP_NODELAY, as uvicorn's own binding gives them:
    without it each keep-alive answer waited ~40 ms (Nagle against delayed ACK)."""
    assert asyncio.run(_accepted_nodelay()) != 0
