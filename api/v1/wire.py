"""The URL quirks of ClickMeeting clients, undone before routing.

* The response format is a suffix on the last path segment: ``conferences/active.json``
  (the default), ``.xml``, ``.js``, ``.printr``.
* The PHP, Python and Ruby examples append that suffix after a query string they built into the
  path: ``conferences/active?page=1.json``. When the path has no suffix and the query string
  ends in one, it is taken off the query string (so ``page`` is ``1``).
* The Node client ends every path with a slash, the gem calls ``time_zone_list/``; trailing
  slashes are dropped (no redirect: a redirected POST loses its body in some clients).

``WireFormat`` rewrites the ASGI scope's path and query string and records the format under
``FORMAT_KEY``; routes then see plain paths such as ``/conferences/active``.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

FORMATS = ("json", "xml", "js", "printr")
FORMAT_KEY = "podium.v1.format"
_SUFFIX = re.compile(r"\.(json|xml|js|printr)$", re.IGNORECASE)
_QUERY_SUFFIX = re.compile(rb"\.(json|xml|js|printr)$", re.IGNORECASE)


def split_path(path: str) -> tuple[str, str | None]:
    """The path without trailing slashes and format suffix, and the suffix's format."""
    bare = path.rstrip("/")
    found = _SUFFIX.search(bare)
    if found is None:
        return bare or "/", None
    return bare[: found.start()].rstrip("/") or "/", found.group(1).lower()


def split_query(query: bytes) -> tuple[bytes, str | None]:
    """The query string without a format suffix stuck to its last value, and that format."""
    found = _QUERY_SUFFIX.search(query)
    if found is None:
        return query, None
    return query[: found.start()], found.group(1).decode().lower()


def response_format(request: Request) -> str:
    """The format the client asked for (JSON unless a suffix said otherwise)."""
    fmt = request.scope.get(FORMAT_KEY)
    return fmt if isinstance(fmt, str) else "json"


class WireFormat:
    """ASGI middleware: takes the format suffix and trailing slashes off the URL."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path, fmt = split_path(scope["path"])
            query = scope.get("query_string", b"")
            if fmt is None:
                query, fmt = split_query(query)
            scope = dict(scope, path=path, query_string=query)
            scope.pop("raw_path", None)  # stale now; Starlette rebuilds URLs from ``path``
            scope[FORMAT_KEY] = fmt or "json"
        await self.app(scope, receive, send)
