"""The ``MediaPlane`` port, twice: the SFU in this process, or in a ``podium media`` one (0024).

- ``EmbeddedMediaPlane``: ``podium serve`` runs the SFU and its reconciler on an asyncio loop
  in a thread of their own (aiortc's peers must not share the gateway's loop: a burst of
  socket frames must not delay RTP, nor RTP the sockets). The port's methods are called from
  the gateway's worker threads and wait on that loop with ``run_coroutine_threadsafe``.
- ``RemoteMediaPlane``: with ``PODIUM_MEDIA_URL`` set, the API posts each signalling call to a
  ``podium media`` process (``media.service``) with the shared ``PODIUM_MEDIA_SECRET``. The
  media process follows the log itself, so only signalling crosses: stdlib ``urllib``, JSON.

Either way an SDP or candidate the SFU cannot read (it raises ``ValueError``) is a
``BadOfferError`` (400), and a plane that does not answer in ``media_timeout`` is a
``MediaUnavailableError`` (503).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Coroutine
from dataclasses import asdict
from typing import Any, TypeVar
from uuid import UUID

from commands.live.media import BadOfferError, MediaPlane, MediaUnavailableError, Peer, Purpose
from domain.errors import DomainError, RuleViolationError
from media.reconciler import Reconciler, SfuPort
from podium.bootstrap import Podium
from podium.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
SECRET_HEADER = "Podium-Media-Secret"  # noqa: S105 - a header name, not a secret
SfuFactory = Callable[[Settings], SfuPort]


def default_sfu(settings: Settings) -> SfuPort:
    """``media.sfu.Sfu`` with the settings' ICE servers (host candidates if none), recording
    into the data directory.

    Imported when a plane starts, not when this module is: the SFU pulls in aiortc and PyAV,
    which an API process with the media plane elsewhere never needs."""
    from aiortc import RTCIceServer

    from media.recording.raw import RawRecorder
    from media.sfu import Sfu

    servers = [
        RTCIceServer(
            urls=server["urls"],
            username=server.get("username"),
            credential=server.get("credential"),
        )
        for server in settings.media_ice_servers
    ]
    # Every take's forwarded packets go to raw tracks the composer makes one file of (0025).
    return Sfu(ice_servers=servers, recording_sinks=RawRecorder(settings.recordings_raw_dir))


def refusal(error: Exception) -> DomainError | None:
    """What the SFU raised as the domain's refusal (None: not the caller's doing: a bug).

    ``media.sfu``'s errors: ``OfferError``/``CandidateError`` are ``ValueError``s (400),
    ``UnknownPeerError`` a ``LookupError`` (a candidate before its offer: 400),
    ``SessionEndedError`` the session's end racing the offer (409), ``SupersededError`` a
    newer offer of the same peer racing it (409)."""
    if type(error).__name__ == "SessionEndedError":
        return RuleViolationError("this session has ended")
    if type(error).__name__ == "SupersededError":
        return RuleViolationError("a newer offer for this connection replaced this one")
    if isinstance(error, DomainError):
        return error
    if isinstance(error, ValueError):
        return BadOfferError(f"the media plane cannot use that: {error}")
    if isinstance(error, LookupError):
        return BadOfferError(f"no such connection: offer it first ({error})")
    return None


def peer_json(peer: Peer) -> dict[str, Any]:
    return {**asdict(peer), "room_id": str(peer.room_id), "purpose": str(peer.purpose)}


def peer_of(data: dict[str, Any]) -> Peer:
    """A peer from its JSON (``ValueError``/``KeyError``/``TypeError`` if malformed)."""
    return Peer(
        room_id=UUID(str(data["room_id"])),
        session=int(data["session"]),
        email=str(data["email"]),
        nickname=str(data["nickname"]),
        presents=bool(data["presents"]),
        purpose=Purpose(str(data["purpose"])),
    )


class EmbeddedMediaPlane:
    """The SFU and the reconciler on a loop in a thread of their own, inside this process."""

    def __init__(self, podium: Podium, sfu_factory: SfuFactory = default_sfu) -> None:
        self.podium, self.sfu_factory = podium, sfu_factory
        self.timeout = podium.settings.media_timeout
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="media-plane", daemon=True)
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self.sfu: SfuPort | None = None
        self.reconciler: Reconciler | None = None

    # -- running -----------------------------------------------------------------------------

    def start(self) -> EmbeddedMediaPlane:
        """Start the loop, the SFU and the reconciler; raises what stopped them starting."""
        self._thread.start()
        if not self._ready.wait(self.timeout + self.podium.settings.read_your_writes_timeout):
            raise MediaUnavailableError("the media plane did not start in time")
        if self._failure is not None:
            raise self._failure
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._start())
        except BaseException as failure:  # said to start(), which raises it in its thread
            self._failure = failure
            self._ready.set()
            return
        self._ready.set()
        self.loop.run_forever()
        self.loop.close()

    async def _start(self) -> None:
        self.sfu = self.sfu_factory(self.podium.settings)
        self.reconciler = Reconciler(self.podium, self.sfu, self.loop)
        await self.reconciler.start()

    def stop(self) -> None:
        """Stop reconciling, close every peer, end the loop."""
        if not self._thread.is_alive():
            return
        future = asyncio.run_coroutine_threadsafe(self._stop(), self.loop)
        try:
            future.result(self.timeout)
        except Exception:
            log.exception("the media plane did not stop cleanly")
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(self.timeout)

    async def _stop(self) -> None:
        if self.reconciler is not None:
            await self.reconciler.stop()
        close = getattr(self.sfu, "close", None)
        if close is not None:
            await close()

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run ``coroutine`` on the plane's loop from another thread; its ``ValueError`` (a
        bad SDP or candidate) is a 400, no answer within ``media_timeout`` a 503."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(self.timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise MediaUnavailableError("the media plane did not answer in time") from None
        except Exception as error:
            refused = refusal(error)
            if refused is None:
                raise
            raise refused from None

    def _sfu(self) -> SfuPort:
        if self.sfu is None:
            raise MediaUnavailableError("the media plane is not running")
        return self.sfu

    # -- the port ------------------------------------------------------------------------------

    def negotiate(self, peer: Peer, offer_sdp: str) -> str:
        return self.call(self._sfu().negotiate(peer, offer_sdp))

    def add_candidate(self, peer: Peer, candidate: dict[str, Any] | None) -> None:
        self.call(self._sfu().add_candidate(peer, candidate))

    def hang_up(self, peer: Peer) -> None:
        self.call(self._sfu().hang_up(peer))


class RemoteMediaPlane:
    """The port over HTTP to a ``podium media`` process (``media.service``)."""

    def __init__(self, url: str, secret: str, timeout: float) -> None:
        self.url, self.secret, self.timeout = url.rstrip("/"), secret, timeout

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's setting
            f"{self.url}{path}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", SECRET_HEADER: self.secret},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                data: dict[str, Any] = json.loads(answer.read() or b"{}")
                return data
        except urllib.error.HTTPError as refused:
            detail = _detail(refused)
            if refused.code == 400:
                raise BadOfferError(detail) from None
            if refused.code == 409:
                raise RuleViolationError(detail) from None
            raise MediaUnavailableError(
                f"the media plane refused ({refused.code}): {detail}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as gone:
            reason = getattr(gone, "reason", gone)
            raise MediaUnavailableError(f"the media plane is not reachable: {reason}") from None

    def negotiate(self, peer: Peer, offer_sdp: str) -> str:
        return str(self._post("/negotiate", {"peer": peer_json(peer), "sdp": offer_sdp})["sdp"])

    def add_candidate(self, peer: Peer, candidate: dict[str, Any] | None) -> None:
        self._post("/candidate", {"peer": peer_json(peer), "candidate": candidate})

    def hang_up(self, peer: Peer) -> None:
        self._post("/hang_up", {"peer": peer_json(peer)})


def _detail(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read()).get("detail", error.reason))
    except (ValueError, AttributeError):
        return str(error.reason)


def media_plane_for(podium: Podium, sfu_factory: SfuFactory = default_sfu) -> MediaPlane | None:
    """The plane ``podium serve`` uses, attached to ``podium.media``: remote with
    ``PODIUM_MEDIA_URL``, else embedded (started here), or none with ``PODIUM_MEDIA=off``."""
    settings = podium.settings
    plane: MediaPlane | None = None
    if not settings.media:
        plane = None
    elif settings.media_url:
        plane = RemoteMediaPlane(settings.media_url, settings.media_secret, settings.media_timeout)
    else:
        plane = EmbeddedMediaPlane(podium, sfu_factory).start()
    podium.media.plane = plane
    return plane
