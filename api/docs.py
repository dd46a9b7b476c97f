"""The panel API's documentation pages, /docs (Swagger UI) and /redoc, each served with a
Content-Security-Policy made from its own template.

FastAPI's pages load their scripts and stylesheets from a CDN and start Swagger UI with one
inline script. The policy allows exactly the origins those pages name, the hash of that inline
script, inline styles (both UIs set styles from script) and data: images; nothing else, no
framing. It is computed once from the HTML Podium serves, never from a request, so what the
policy allows is what Podium wrote. Swagger UI's online validator is off (it would send the
document elsewhere); ReDoc's web fonts are off (they come from yet another origin).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse


class _Assets(HTMLParser):
    """What a page loads: script sources, inline scripts, stylesheets and icons."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.inline_scripts: list[str] = []
        self.styles: list[str] = []
        self.images: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "script":
            if found.get("src"):
                self.scripts.append(found["src"])
            else:
                self._in_inline_script = True
                self.inline_scripts.append("")
        elif tag == "link" and "stylesheet" in found.get("rel", ""):
            self.styles.append(found.get("href", ""))
        elif tag == "link" and "icon" in found.get("rel", ""):
            self.images.append(found.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script:
            self.inline_scripts[-1] += data


def _sources(urls: list[str]) -> list[str]:
    """Each URL's origin, or 'self' for one on Podium's own origin; in order, once each."""
    sources = []
    for url in urls:
        parts = urlsplit(url)
        source = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "'self'"
        if source not in sources:
            sources.append(source)
    return sources


def _digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def content_security_policy(html: str) -> str:
    """The policy that lets ``html`` load what it names, and nothing else."""
    page = _Assets()
    page.feed(html)
    directives = {
        "default-src": ["'none'"],
        "script-src": _sources(page.scripts) + [_digest(s) for s in page.inline_scripts],
        "style-src": [*_sources(page.styles), "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *_sources(page.images)],
        "font-src": [*_sources(page.styles), "data:"],
        "connect-src": ["'self'"],  # the OpenAPI document, and "try it out"
        "worker-src": ["blob:"],  # ReDoc searches in a worker made from a blob
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def install(app: FastAPI) -> None:
    """Serve /docs and /redoc (the app is made with ``docs_url=None, redoc_url=None``)."""
    openapi_url = app.openapi_url or "/openapi.json"
    pages = {
        "/docs": get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_ui_parameters={"validatorUrl": None},
        ),
        "/redoc": get_redoc_html(
            openapi_url=openapi_url, title=f"{app.title} - ReDoc", with_google_fonts=False
        ),
    }
    for path, page in pages.items():
        app.add_api_route(path, _page(bytes(page.body)), methods=["GET"], include_in_schema=False)


def _page(body: bytes) -> Callable[[], HTMLResponse]:
    headers = {"Content-Security-Policy": content_security_policy(body.decode())}

    def documentation() -> HTMLResponse:
        return HTMLResponse(body, headers=headers)

    return documentation
