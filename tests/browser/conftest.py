"""Fixtures of the browser tests: Debian's Chromium driven by playwright, and ``podium serve``.

Chromium is the one ``scripts/ensure-chromium.sh`` provides (``make test`` runs it and exports
PODIUM_TEST_CHROMIUM); playwright launches that binary (``executable_path``) and never one of
its own downloads. Without it these tests skip on a developer machine, saying so; in CI
(CI=true) they fail. The fake camera and microphone (Chromium's own test devices) stand in for
hardware; everything else is real: the server process, its store, the socket, the SFU.
Each page's screenshot is kept under var/artifacts/browser/, passed or failed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.browser.server import Room, Server, live_room

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "var" / "artifacts" / "browser"
CHROMIUM_FLAGS = [
    "--use-fake-device-for-media-stream",  # a generated camera picture and a beeping mic
    "--use-fake-ui-for-media-stream",  # camera and microphone allowed without a prompt
    "--autoplay-policy=no-user-gesture-required",  # received audio plays with nobody clicking
]
# A browser on a loaded two-core machine with an SFU beside it: bounded, never tight.
WAIT_MS = 45_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary to drive, or skip (fail in CI) without one."""
    path = os.environ.get("PODIUM_TEST_CHROMIUM", "")
    if path and os.access(path, os.X_OK):
        return path
    message = (
        f"no Chromium to drive (PODIUM_TEST_CHROMIUM={path!r}); run `make test`, which "
        "installs Debian's chromium (scripts/ensure-chromium.sh)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


# Per module, not per session: playwright's sync API runs an event loop in the main thread
# while it is open, and every later test that calls asyncio.run() (the media, v1 and hub
# tests) would fail with "cannot be called from a running event loop".
@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(chromium: str, playwright_driver: Playwright) -> Iterator[Browser]:
    launched = playwright_driver.chromium.launch(
        executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
    )
    yield launched
    launched.close()


@pytest.fixture(params=["sqlite"])
def store_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The server's store: SQLite unless a test asks for PostgreSQL too (``indirect``)."""
    if request.param == "sqlite":
        return {"PODIUM_STORE": "sqlite"}
    schema = request.getfixturevalue("pg_schema")
    return {
        "PODIUM_STORE": "postgres",
        **{f"PODIUM_{name.upper()}": str(value) for name, value in schema.items()},
    }


@pytest.fixture
def server(tmp_path: Path, store_env: dict[str, str]) -> Iterator[Server]:
    started = Server(tmp_path / "podium", store_env)
    try:
        started.wait_until_up()
        yield started
    finally:
        started.stop()


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, timeout=30) as client:
        yield client


@pytest.fixture
def room(http: httpx.Client) -> Room:
    return live_room(http, "organizer@example.com")


@pytest.fixture
def open_page(
    browser: Browser, server: Server, request: pytest.FixtureRequest
) -> Iterator[Callable[[str, str], Page]]:
    """``open_page(name, path)``: a tab of its own (its own storage: a person of its own) at
    ``path``; its screenshot is kept when the test ends, however it ends."""
    contexts = []
    pages: list[tuple[str, Page]] = []

    def open_(name: str, path: str) -> Page:
        context = browser.new_context(base_url=server.base, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(path)
        pages.append((name, page))
        return page

    yield open_
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^\w.-]+", "_", request.node.name)
    for name, page in pages:
        page.screenshot(path=str(ARTIFACTS / f"{test}-{name}.png"), full_page=True)
    for context in contexts:
        context.close()


def join_page(page: Page, nickname: str, email: str) -> None:
    """Fill the page's join form and wait until its socket shows the live room."""
    page.fill("#join-nickname", nickname)
    page.fill("#join-email", email)
    page.click("#join-button")
    page.wait_for_function(
        "() => podiumRoom.socket === 'open' && podiumRoom.session !== null"
        " && podiumRoom.session.live"
    )
