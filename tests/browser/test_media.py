"""Audio and video end to end in Chromium: a presenter's tab publishes Chromium's fake camera
and microphone through the SFU of a real ``podium serve``; an attendee's tab receives the
video and decodes it, at the size it was sent. A webinar with two tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import join_page
from tests.browser.server import Room

# The attendee's page decodes frames of some slot, and knows their size.
DECODING = (
    "() => podiumRoom.media.videos.some(v => v.framesDecoded > 0 && v.width > 0 && v.height > 0)"
)


def decoding(page: Page) -> dict[str, Any]:
    """The first received video slot that decodes frames, once one does (bounded)."""
    page.wait_for_function(DECODING)
    videos: list[dict[str, Any]] = page.evaluate("podiumRoom.media.videos")
    return next(v for v in videos if v["framesDecoded"] > 0)


def test_an_attendee_tab_decodes_what_a_presenter_tab_publishes(
    room: Room, open_page: Callable[[str, str], Page]
) -> None:
    """Frames decoded > 0 at the published size, and audio packets; after either tab's socket
    drops, that page offers its connection again and the video flows on."""
    presenter = open_page("presenter", f"{room.page}?role={room.presenter_hash}")
    join_page(presenter, "Pat", "pat@example.com")
    attendee = open_page("attendee", room.page)
    join_page(attendee, "Ann", "ann@example.com")
    expect(attendee.locator("#publish-controls")).to_be_hidden()  # listeners do not publish

    presenter.click("#publish")
    presenter.wait_for_function("() => podiumRoom.media.publish === 'connected'")
    sent = presenter.evaluate("podiumRoom.media.publishing")
    assert sent["width"] > 0, sent

    received = decoding(attendee)
    assert (received["width"], received["height"]) == (sent["width"], sent["height"])
    assert attendee.evaluate("podiumRoom.media.receive") == "connected"
    attendee.wait_for_function("() => podiumRoom.media.audioPackets > 0")  # and hears them
    assert not attendee.evaluate("podiumRoom.media.errors")

    # The socket drops: the page comes back, offers a new receive connection, decodes again.
    attendee.evaluate("podiumRoom.dropSocket()")
    attendee.wait_for_function("() => podiumRoom.connects === 2")
    attendee.wait_for_function(
        "() => podiumRoom.media.offers.receive === 2 && podiumRoom.media.receive === 'connected'"
    )
    assert decoding(attendee)["width"] == sent["width"]

    # The presenter's socket drops: the page publishes again, and the video still arrives.
    presenter.evaluate("podiumRoom.dropSocket()")
    presenter.wait_for_function(
        "() => podiumRoom.media.offers.publish === 2 && podiumRoom.media.publish === 'connected'"
    )
    before = decoding(attendee)["framesDecoded"]  # the first connection is closed by now
    attendee.wait_for_function(
        f"() => podiumRoom.media.videos.some(v => v.framesDecoded > {before + 30})"
    )
