"""The panel page in Chromium: log in, the events list, a session's attendance over time and
the Statistics tab's charts, drawn from a scripted session on a real ``podium serve``.

The session is driven over HTTP as people's browsers would: joins with their own User-Agents
and country hints, one leaves and comes back, a rating, the end. The page is then read as an
organiser reads it; what each canvas shows is checked through the page's own record of what
it drew (``podiumPanel.charts``), and the screenshots are kept in var/artifacts/browser/.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from playwright.sync_api import Page

from tests.browser.server import PASSWORD, Room, live_room, ok

WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)
MAC_FIREFOX = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0"
OWNER = "organiser@example.com"


def join(room: Room, email: str, user_agent: str, country: str) -> str:
    """``email`` joins from a browser with ``user_agent`` that says it is in ``country``;
    the join's credential."""
    body = {"nickname": email.split("@")[0].title(), "email": email, "country": country}
    joined = ok(room.http.post(f"{room.path}/join", json=body, headers={"User-Agent": user_agent}))
    return str(joined["credential"])


def scripted_session(http: httpx.Client) -> Room:
    """Three people from three countries on three devices; one leaves and returns; the end;
    a rating."""
    room = live_room(http, OWNER)
    ann = join(room, "ann@example.com", WINDOWS_CHROME, "gb")
    join(room, "bob@example.com", IPHONE_SAFARI, "pl")
    join(room, "cara@example.com", MAC_FIREFOX, "de")
    ok(http.post(f"{room.path}/leave", json={"credential": ann}))
    ann = join(room, "ann@example.com", WINDOWS_CHROME, "gb")
    room.as_owner("POST", "/sessions/current/end")
    ok(http.post(f"{room.path}/rating", json={"credential": ann, "rating": 5, "comment": "Good"}))
    return room


def logged_in(open_page: Callable[[str, str], Page], name: str) -> Page:
    page = open_page(name, "/")
    page.fill("#log-in-email", OWNER)
    page.fill("#log-in-password", PASSWORD)
    page.click("#log-in-button")
    page.wait_for_function("() => podiumPanel.loggedIn && podiumPanel.loading === 0")
    return page


def test_the_front_door_leads_to_the_panel_and_a_wrong_password_is_told(
    http: httpx.Client, open_page: Callable[[str, str], Page]
) -> None:
    live_room(http, OWNER, started=False)
    page = open_page("log-in", "/")
    assert page.url.endswith("/panel")
    page.fill("#log-in-email", OWNER)
    page.fill("#log-in-password", "not the password")
    page.click("#log-in-button")
    page.wait_for_function("() => document.getElementById('log-in-error').textContent !== ''")
    assert not page.evaluate("podiumPanel.loggedIn")
    assert page.is_visible("#log-in")


def test_the_events_list_shows_a_sessions_attendance_over_time(
    http: httpx.Client, open_page: Callable[[str, str], Page]
) -> None:
    room = scripted_session(http)
    page = logged_in(open_page, "events")
    assert page.inner_text("#rooms tbody").startswith("Browser webinar")
    page.click("#rooms tbody tr")
    page.wait_for_function("() => podiumPanel.sessions.length === 1 && podiumPanel.loading === 0")
    assert "#1" in page.inner_text("#sessions tbody")
    page.click("#sessions tbody tr")
    page.wait_for_function("() => podiumPanel.session !== null && podiumPanel.loading === 0")

    attendees = page.evaluate("podiumPanel.session.attendees")
    report = ok(http.get(f"{room.path}/sessions/1/attendees", headers=_owner(room)))
    assert attendees == report["attendees"]  # the page shows the panel API's answer, no other
    chart: dict[str, Any] = page.evaluate("podiumPanel.charts['chart-attendance']")
    points = chart["series"][0]["data"]
    present = [point["y"] for point in points]
    assert chart["type"] == "line"
    assert [point["x"] for point in points] == sorted(point["x"] for point in points)
    # Nobody before the first join; three at most at once (ann's return is after she left);
    # nobody left once the session ended.
    assert present[0] == 0
    assert max(present) == 3
    assert present[-1] == 0
    assert _drawn(page, "chart-attendance")
    rows = page.inner_text("#session-attendees tbody")
    for person in ("Ann", "Bob", "Cara"):
        assert person in rows


def _owner(room: Room) -> dict[str, str]:
    return {"X-Api-Key": room.owner_key}


def _drawn(page: Page, canvas: str) -> bool:
    """Whether the canvas holds any painted pixel (Chart.js drew on it)."""
    return bool(
        page.evaluate(
            """(id) => {
                const canvas = document.getElementById(id);
                const pixels = canvas.getContext('2d')
                    .getImageData(0, 0, canvas.width, canvas.height).data;
                return canvas.width > 0 && pixels.some((value) => value !== 0);
            }""",
            canvas,
        )
    )


def test_the_statistics_tab_draws_its_charts_from_the_statistics_api(
    http: httpx.Client, open_page: Callable[[str, str], Page]
) -> None:
    room = scripted_session(http)
    page = logged_in(open_page, "statistics")
    page.click("#tabs [data-tab=statistics]")
    page.wait_for_function("() => podiumPanel.statistics !== null && podiumPanel.loading === 0")
    shown = page.evaluate("podiumPanel.statistics")
    assert shown == ok(http.get("/statistics", headers=_owner(room)))  # the API's answer
    charts: dict[str, Any] = page.evaluate("podiumPanel.charts")

    def drawn_as(name: str) -> dict[str, int]:
        chart = charts[name]
        return dict(zip(chart["labels"], chart["series"][0]["data"], strict=True))

    assert drawn_as("chart-countries") == {"GB": 1, "PL": 1, "DE": 1}
    assert drawn_as("chart-devices") == {"desktop": 2, "mobile": 1}
    assert drawn_as("chart-kinds") == {"webinar": 1}
    assert sum(drawn_as("chart-months").values()) == 1
    for canvas in ("chart-months", "chart-kinds", "chart-countries", "chart-devices"):
        assert _drawn(page, canvas), canvas
    rows = page.inner_text("#stat-attendees tbody")
    for email in ("ann@example.com", "bob@example.com", "cara@example.com"):
        assert email in rows
