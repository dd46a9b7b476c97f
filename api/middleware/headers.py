"""Security headers on every answer, of both APIs.

* ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy:
  no-referrer`` everywhere; ``Content-Security-Policy: default-src 'none'; frame-ancestors
  'none'`` unless the answer brings its own (the HTML documentation pages do, ``api.docs``).
* ``Cache-Control: no-store`` on every answer but reads of public reference data (plans, time
  zones, dial-in numbers, the OpenAPI document and its pages), which need no key and are the
  same for everyone: the rule cannot miss an answer with a key or personal data in it,
  because it does not depend on knowing which those are.
* ``Strict-Transport-Security`` when ``Settings.behind_https`` says Podium is served over HTTPS.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"
# Reference data anyone may read and cache: the same for every caller, no personal data.
PUBLIC_REFERENCE = (
    "/plans",
    "/time-zones",
    "/dial-in-numbers",
    "/toll-free-cost",
    "/openapi.json",
    "/docs",
    "/redoc",
)  # /v1/'s reference data needs an API key: a shared cache must not keep keyed answers.


def is_public_reference(method: str, path: str) -> bool:
    """A read of public reference data (or of a page below it, ``/time-zones/PL``)."""
    if method not in ("GET", "HEAD"):
        return False
    bare = path.rstrip("/")
    return any(bare == prefix or bare.startswith(prefix + "/") for prefix in PUBLIC_REFERENCE)


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        public = is_public_reference(scope["method"], scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Content-Security-Policy", API_POLICY)
                if not public:
                    headers["Cache-Control"] = "no-store"
                if self.https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
