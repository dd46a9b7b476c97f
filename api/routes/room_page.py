"""``/live/{room_id}``: the browser's room page, plain HTML and JavaScript (no build step).

The page joins the room as a participant (``POST /rooms/{room_id}/join``), holds the room's
socket (``/ws/rooms/{room_id}?credential=``) and its two media connections (decision 0022),
and shows the room: audio mode, chat, hands, the open poll, the call to action, the videos.
``?role=<hash>`` (the hash of a room's presenter or host link) joins as that role; ``password``,
``token``, ``r`` and ``autologin`` are handed to the join as the room's access asks.

Everything it loads is Podium's own (``api/static/room/``), so its Content-Security-Policy
allows only this origin: scripts and styles from files (nothing inline), the socket and the
API on the same origin, no framing.
"""

from __future__ import annotations

from typing import Any, Final
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import Response

from api.contract import problems
from api.deps import PodiumDep
from api.responses.media import IceServers
from api.routes.live.deps import RoomCaller
from api.static_pages import StaticPage
from commands.live.actors import viewer
from domain.errors import NotFoundError

router = APIRouter(tags=["room page"])

ASSETS: Final = {
    "room.js": "text/javascript",
    "media.js": "text/javascript",
    "view.js": "text/javascript",
    "room.css": "text/css",
}
# connect-src 'self' covers the same-origin ws:/wss: socket (CSP level 3); a received
# MediaStream set as srcObject needs no media-src.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; media-src 'self' blob:; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PAGE = StaticPage("room", ASSETS, PAGE_POLICY)


@router.get("/live/{room_id}", response_class=Response, include_in_schema=False)
def room_page(room_id: UUID, podium: PodiumDep) -> Response:
    """The room page of ``room_id`` (a 404 for a room that does not exist)."""
    if podium.views.rooms.room(str(room_id)) is None:
        raise NotFoundError("room not found")
    return PAGE.page()


@router.get("/live/assets/{name}", response_class=Response, include_in_schema=False)
def room_asset(name: str) -> Response:
    """The page's script and stylesheet; nothing else under the directory is served."""
    return PAGE.asset(name)


@router.get(
    "/live/{room_id}/ice-servers", response_model=IceServers, responses=problems(401, 403, 404)
)
def ice_servers(room_id: UUID, who: RoomCaller, podium: PodiumDep) -> dict[str, Any]:
    """The ICE servers (TURN) the page's peer connections use (``PODIUM_MEDIA_ICE_SERVERS``,
    decision 0024): for someone in the room's session only, as they may carry TURN
    credentials. An empty list: host candidates only (a LAN)."""
    viewer(podium.runner, podium.actors, room_id, who)  # refuses whoever is not in the session
    return {"ice_servers": podium.settings.media_ice_servers}
