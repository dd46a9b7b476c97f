"""Sending one webhook delivery over HTTP, signed (decision 0034).

The standard library's ``urllib`` (httpx is only a development dependency): one POST, a short
timeout, no redirects followed (a redirect could point a delivery at a private address after
the URL was checked), and, unless private targets are allowed, every address the host resolves
to checked before connecting.

The signature is Stripe's scheme: ``Podium-Signature: t=<unix seconds>,v1=<hex>``, the hex an
HMAC-SHA256 of ``"<t>.<body>"`` under the endpoint's secret; during a rotation's grace a second
``v1=`` carries the previous secret's, so a receiver still holding the old one verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

SIGNATURE_HEADER = "Podium-Signature"
USER_AGENT = "Podium-Webhooks/1"
MAX_ERROR = 500


def signature(secrets: Sequence[str], timestamp: int, body: bytes) -> str:
    """The ``Podium-Signature`` header's value for ``body`` sent at ``timestamp``."""
    signed = str(timestamp).encode() + b"." + body
    macs = [hmac.new(s.encode(), signed, hashlib.sha256).hexdigest() for s in secrets]
    return ",".join([f"t={timestamp}", *(f"v1={mac}" for mac in macs)])


def verify(header: str, secret: str, body: bytes) -> bool:
    """What a receiver does: some ``v1`` of the header is the body's HMAC under ``secret``."""
    parts = [part.split("=", 1) for part in header.split(",") if "=" in part]
    stamps = [value for key, value in parts if key == "t"]
    if len(stamps) != 1:
        return False
    expected = hmac.new(secret.encode(), stamps[0].encode() + b"." + body, "sha256").hexdigest()
    return any(key == "v1" and hmac.compare_digest(value, expected) for key, value in parts)


@dataclass(frozen=True)
class Answer:
    """What became of one attempt: the status code (None: no answer) and any error."""

    code: int | None
    error: str | None
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.code is not None and 200 <= self.code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx is the answer, recorded as a failure


class PrivateTargetError(Exception):
    """The URL's host resolves to this machine or a private network."""


def check_resolves_public(url: str) -> None:
    host = urlsplit(url).hostname or ""
    port = urlsplit(url).port or 443
    for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global:
            raise PrivateTargetError(f"{host} resolves to {address}, a private address")


class HttpSender:
    """POSTs deliveries; never raises for what the receiver or the network did."""

    def __init__(self, timeout: float, allow_private: bool) -> None:
        self.timeout = timeout
        self.allow_private = allow_private
        self._opener = urllib.request.build_opener(_NoRedirects())

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        started = time.monotonic()
        code: int | None = None
        error: str | None = None
        try:
            if not self.allow_private:
                check_resolves_public(url)
            request = urllib.request.Request(  # noqa: S310 - the scheme was checked at registration
                url,
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
            )
            with self._opener.open(request, timeout=self.timeout) as response:
                code = int(response.status)
                response.read(65_536)  # a receiver's long answer is not ours to keep
        except urllib.error.HTTPError as answer:
            code = answer.code
            error = f"answered {answer.code} {answer.reason}"
        except (OSError, PrivateTargetError, ValueError) as failure:
            error = f"{type(failure).__name__}: {failure}"
        elapsed = int((time.monotonic() - started) * 1000)
        if code is not None and not 200 <= code < 300 and error is None:
            error = f"answered {code}"
        return Answer(code, error[:MAX_ERROR] if error else None, elapsed)
