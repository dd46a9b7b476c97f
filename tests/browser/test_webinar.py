"""A whole webinar in two Chromium tabs through a real ``podium serve`` (issue 9's "done when"):
the presenter is seen and heard, REC makes a recording in the account's storage with its
duration, a mode change by another presenter mutes the first one's microphone at the attendee
while the camera goes on, and presenters-only cuts the attendee off until listen-only.

What the attendee's tab has decoded is read from ``podiumRoom.media`` (its own getStats
counters); "stopped" means the counters no longer move over a couple of seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from playwright.sync_api import Page

from tests.browser.conftest import join_page
from tests.browser.server import Room

FRAMES = "() => podiumRoom.media.videos.reduce((n, v) => n + v.framesDecoded, 0)"
AUDIO = "() => podiumRoom.media.audioPackets"
SETTLE_SECONDS = 2.5  # longer than the page's stats period and the SFU's queues
WAIT_SECONDS = 45  # a loaded two-core machine: bounded, never tight


def moving(page: Page, counter: str) -> bool:
    """Whether ``counter`` on ``page`` grows over SETTLE_SECONDS."""
    before = int(page.evaluate(counter))
    time.sleep(SETTLE_SECONDS)
    return int(page.evaluate(counter)) > before


def until_still(page: Page, counter: str) -> None:
    """Wait (bounded) until ``counter`` stops growing: what fed it is cut off."""
    deadline = time.monotonic() + WAIT_SECONDS
    while moving(page, counter):
        assert time.monotonic() < deadline, f"{counter} still grows after {WAIT_SECONDS} s"


def until_moving(page: Page, counter: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not moving(page, counter):
        assert time.monotonic() < deadline, f"{counter} did not grow in {WAIT_SECONDS} s"


def stored_recordings(room: Room, http: httpx.Client) -> list[dict[str, object]]:
    answer = http.get("/account/recordings", headers={"X-Api-Key": room.owner_key})
    assert answer.status_code == 200, answer.text
    recordings: list[dict[str, object]] = answer.json()["recordings"]
    return recordings


def test_a_webinar_in_two_tabs_is_seen_heard_recorded_and_obeys_the_modes(
    room: Room, http: httpx.Client, open_page: Callable[[str, str], Page]
) -> None:
    presenter = open_page("presenter", f"{room.page}?role={room.presenter_hash}")
    join_page(presenter, "Pat", "pat@example.com")
    attendee = open_page("attendee", room.page)
    join_page(attendee, "Ann", "ann@example.com")
    presenter.click("#publish")
    presenter.wait_for_function("() => podiumRoom.media.publish === 'connected'")

    # Seen and heard.
    until_moving(attendee, FRAMES)
    until_moving(attendee, AUDIO)

    # REC for a few seconds: one recording in storage, with its duration and size.
    room.as_owner("POST", "/recording/start")
    time.sleep(4)
    room.as_owner("POST", "/recording/stop")
    deadline = time.monotonic() + 90  # the composer waits for the raw tracks to close
    while not (recordings := stored_recordings(room, http)):
        assert time.monotonic() < deadline, "no recording stored after REC and stop"
        time.sleep(1)
    [recording] = recordings
    assert float(str(recording["seconds"])) >= 2, recording
    assert int(str(recording["size_bytes"])) > 0, recording
    file = http.get(
        f"/account/recordings/{recording['recording_id']}/file",
        headers={"X-Api-Key": room.owner_key},
    )
    assert file.status_code == 200
    assert len(file.content) == recording["size_bytes"]

    # Another presenter changes the mode: Pat is muted (heard no more), still seen.
    other = room.join("max@example.com", presenter=True)
    other("POST", "/audio/mode", {"mode": "qa"})
    until_still(attendee, AUDIO)
    assert moving(attendee, FRAMES), "the muted presenter's camera should still be seen"

    # Presenters only: the attendee receives nothing at all; listen only brings Pat back
    # (still muted by Max's change until Pat unmutes, so only the picture).
    presenter.click("#mode-buttons button[data-mode='presenters_only']")
    until_still(attendee, FRAMES)
    presenter.click("#mode-buttons button[data-mode='listen_only']")
    until_moving(attendee, FRAMES)
    until_moving(attendee, AUDIO)  # Pat changed the mode: Pat is the one presenter unmuted
    assert not attendee.evaluate("podiumRoom.media.errors")
