"""The room page in Chromium against a real ``podium serve``: it joins, shows what the socket
says (chat, audio mode, the open poll, the call to action, people), and acts through it (chat,
hand, poll answer, presenters' mode buttons); it comes back by itself after a dropped socket."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import join_page
from tests.browser.server import Json, Room, live_room

POLL: Json = {
    "name": "How is the sound?",
    "questions": [
        {"text": "Sound?", "kind": "single_choice", "choices": [{"text": "Good"}, {"text": "Bad"}]}
    ],
}
CTA: Json = {"description": "Try Pro today", "button_text": "Buy", "url": "https://example.com"}


def eventually(read: Callable[[], object], seconds: float = 30) -> None:
    """Wait until ``read()`` is true, bounded (the server's read models follow the log)."""
    deadline = time.monotonic() + seconds
    while not read():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.1)


def test_the_page_shows_the_room_and_acts_in_it(
    room: Room, open_page: Callable[[str, str], Page], http: httpx.Client
) -> None:
    """An attendee's page shows what others do over HTTP and does what its person clicks."""
    page = open_page("attendee", room.page)
    expect(page.locator("#join")).to_be_visible()
    assert "frame-ancestors 'none'" in http.get(room.page).headers["content-security-policy"]
    join_page(page, "Ann", "ann@example.com")
    expect(page.locator("#your-role")).to_have_text("listener")
    expect(page.locator("#mode-buttons")).to_be_hidden()  # listeners change no mode

    bob = room.join("bob@example.com")
    speaker = room.join("speaker@example.com", presenter=True)
    bob("POST", "/chat/messages", {"text": "Hello from Bob"})
    expect(page.locator("#chat-messages")).to_contain_text("Hello from Bob")
    speaker("POST", "/audio/mode", {"mode": "discussion"})
    expect(page.locator("#mode")).to_have_text("discussion")
    assert page.evaluate("podiumRoom.mode") == "discussion"

    page.fill("#chat-text", "Hello from Ann")
    page.click("#chat-form button")
    eventually(
        lambda: "Hello from Ann" in [m["text"] for m in bob("GET", "/chat/messages")["messages"]]
    )

    page.click("#hand")
    expect(page.locator("#hand")).to_have_text("Lower hand")
    eventually(lambda: [h["nickname"] for h in speaker("GET", "/hands")["hands"]] == ["Ann"])
    page.reload()  # the same tab is the same person, hand up, chat there
    page.wait_for_function("() => podiumRoom.socket === 'open' && podiumRoom.you !== null")
    expect(page.locator("#hand")).to_have_text("Lower hand")
    expect(page.locator("#chat-messages")).to_contain_text("Hello from Bob")
    expect(page.locator("#mode")).to_have_text("discussion")
    hand_id = speaker("GET", "/hands")["hands"][0]["hand_id"]
    speaker("POST", f"/hands/{hand_id}/lower")
    expect(page.locator("#hand")).to_have_text("Raise hand")

    poll = speaker("POST", "/polls", POLL)
    speaker("POST", f"/polls/{poll['poll_id']}/open")
    expect(page.locator("#poll-name")).to_have_text("How is the sound?")
    page.check("#poll-form input[value=c2]")
    page.click("#poll-form button")
    expect(page.locator("#poll-result")).to_contain_text("your answer is in")
    results = speaker("GET", f"/polls/{poll['poll_id']}/results")
    assert results["respondents"] == 1, results
    speaker("POST", f"/polls/{poll['poll_id']}/close")
    expect(page.locator("#poll")).to_be_hidden()

    speaker("POST", "/ctas", CTA | {"minutes": 2})
    expect(page.locator("#cta-description")).to_have_text("Try Pro today")
    expect(page.locator("#cta-button")).to_have_attribute("href", "https://example.com")
    expect(page.locator("#presence")).to_contain_text("Bob")


@pytest.mark.parametrize(
    "store_env", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_presenter_tab_changes_the_mode_and_a_dropped_socket_resumes(
    room: Room, open_page: Callable[[str, str], Page]
) -> None:
    """Two tabs, a presenter's and an attendee's: the presenter's mode button changes the
    session's mode, the attendee sees it; the attendee's socket drops and resumes with
    nothing missed."""
    presenter = open_page("presenter", f"{room.page}?role={room.presenter_hash}")
    join_page(presenter, "Pat", "pat@example.com")
    attendee = open_page("attendee", room.page)
    join_page(attendee, "Ann", "ann@example.com")
    expect(presenter.locator("#your-role")).to_have_text("presenter")
    expect(presenter.locator("#mode-buttons")).to_be_visible()

    presenter.click("#mode-buttons button[data-mode=qa]")
    expect(attendee.locator("#mode")).to_have_text("qa")
    assert room.as_owner("GET", "/audio")["mode"] == "qa"
    expect(presenter.locator("#mode-buttons button[data-mode=qa]")).to_have_attribute(
        "aria-pressed", "true"
    )

    attendee.evaluate("podiumRoom.dropSocket()")
    presenter.click("#mode-buttons button[data-mode=listen_only]")
    presenter.fill("#chat-text", "Said while Ann was away")
    presenter.click("#chat-form button")
    attendee.wait_for_function("() => podiumRoom.connects === 2 && podiumRoom.socket === 'open'")
    expect(attendee.locator("#chat-messages")).to_contain_text("Said while Ann was away")
    expect(attendee.locator("#mode")).to_have_text("listen_only")
    texts = attendee.evaluate("podiumRoom.chat.map(m => m.text)")
    assert texts.count("Said while Ann was away") == 1  # resumed: none twice


def test_a_page_waits_in_the_lobby_and_enters_when_the_session_starts(
    http: httpx.Client, open_page: Callable[[str, str], Page]
) -> None:
    """Joined before the start: the page shows the lobby and opens no media; the start reaches
    it over the socket and its receive connection comes up."""
    room = live_room(http, "early@example.com", started=False)
    page = open_page("lobby", room.page)
    page.fill("#join-nickname", "Ann")
    page.fill("#join-email", "ann@example.com")
    page.click("#join-button")
    expect(page.locator("#session-state")).to_have_text("lobby")
    assert page.evaluate("podiumRoom.media.offers.receive") == 0
    room.as_owner("POST", "/sessions")
    expect(page.locator("#session-state")).to_have_text("live")
    page.wait_for_function("() => podiumRoom.media.receive === 'connected'")
