"""``/panel``: the organiser's panel page, plain HTML and JavaScript (no build step).

Log in, the events list with each event's sessions, a session's attendance over time, and the
Statistics tab with its charts and per-attendee table (issue 10 §7). The page only reads the
panel API with the API key its log-in returned (kept in the tab's sessionStorage): it holds
no logic of its own beyond drawing what the read models say.

Everything it loads is Podium's own (``api/static/panel/``), the charting library included:
Chart.js, vendored from its registry package (``vendor/README.md`` says which and how to
check it), never fetched from elsewhere at run time. So its Content-Security-Policy allows only
this origin. ``/`` leads here.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from api.static_pages import StaticPage

router = APIRouter(tags=["panel page"])

ASSETS: Final = {
    "panel.js": "text/javascript",
    "charts.js": "text/javascript",
    "panel.css": "text/css",
    "vendor/chart.umd.min.js": "text/javascript",
}
# Chart.js sizes its canvases through element.style (CSSOM), which style-src does not govern;
# nothing on the page is an inline script or style attribute.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE = StaticPage("panel", ASSETS, PAGE_POLICY, {"Cache-Control": "no-cache"})


@router.get("/", include_in_schema=False)
def home() -> RedirectResponse:
    """The front door: the panel page."""
    return RedirectResponse("/panel", status_code=307)


@router.get("/panel", response_class=Response, include_in_schema=False)
def panel_page() -> Response:
    return PAGE.page()


@router.get("/panel/assets/{name:path}", response_class=Response, include_in_schema=False)
def panel_asset(name: str) -> Response:
    """The page's scripts, stylesheet and vendored library; nothing else is served."""
    return PAGE.asset(name)
