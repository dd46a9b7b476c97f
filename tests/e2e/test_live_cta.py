"""Calls to action over HTTP: displayed for all, hidden for all or replaced, hidden by the
policy runner when its minutes are up (the injected clock), clicks counted per attendee."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import Caller, Json, expect, head, problem
from tests.e2e.live_room import LiveRoom, Person, listener, live_room, presenter
from tests.e2e.test_live_sessions import end, start

OFFER = {
    "description": "Get 20% off the Pro plan today, only for attendees!!",
    "button_text": "Buy now",
    "url": "https://example.com/pro",
    "minutes": 2,
}


def display(client: TestClient, live: LiveRoom, who: Person | Caller, **fields: Any) -> Response:
    response: Response = client.post(f"{live.path}/ctas", json=OFFER | fields, headers=who.headers)
    return response


def shown(client: TestClient, live: LiveRoom, who: Person | Caller) -> Json | None:
    answer: Json | None = expect(client.get(f"{live.path}/cta", headers=who.headers), 200)["shown"]
    return answer


def stats(client: TestClient, live: LiveRoom, who: Person | Caller) -> list[Json]:
    body = expect(client.get(f"{live.path}/ctas", headers=who.headers), 200)
    listed: list[Json] = body["calls_to_action"]
    return listed


def click(client: TestClient, live: LiveRoom, who: Person, cta: Json) -> Response:
    response: Response = client.post(f"{live.path}/ctas/{cta['cta_id']}/click", headers=who.headers)
    return response


def test_a_presenter_displays_a_call_to_action_for_all(client: TestClient) -> None:
    """Displayed by a presenter, it is what every attendee's room shows, until its minutes."""
    live = live_room(client)
    ann, pat = listener(client, live, "ann@example.com"), presenter(client, live, "pat@example.com")
    cta = expect(display(client, live, pat), 201)
    assert (cta["description"], cta["minutes"], cta["shown"]) == (OFFER["description"], 2, True)
    seen = shown(client, live, ann)
    assert seen is not None
    assert (seen["cta_id"], seen["url"], seen["button_text"]) == (
        cta["cta_id"],
        "https://example.com/pro",
        "Buy now",
    )
    assert seen["hides_at"] == "2026-10-15T09:02:00+00:00"


def test_a_listener_may_not_display_one(client: TestClient, podium: Podium) -> None:
    """Displaying is for hosts and presenters: a listener gets 403 and nothing is written."""
    live = live_room(client)
    ann = listener(client, live, "ann@example.com")
    before = head(podium)
    assert "display a call to action" in problem(display(client, live, ann), 403)["detail"]
    assert head(podium) == before


def test_a_description_over_54_characters_or_minutes_outside_1_to_7_are_refused(
    client: TestClient, podium: Podium
) -> None:
    """55 characters, 0 or 8 minutes, an ftp URL: each a 422 saying what, nothing written;
    54 characters with their spaces, 1 and 7 minutes are fine."""
    live = live_room(client)
    before = head(podium)
    long = problem(display(client, live, live.owner, description="x " * 27 + "y"), 422)
    assert long["errors"][0]["field"] == "description"
    for minutes in (0, 8):
        refused = problem(display(client, live, live.owner, minutes=minutes), 422)
        assert refused["errors"][0]["field"] == "minutes"
    ftp = problem(display(client, live, live.owner, url="ftp://example.com/file"), 422)
    assert "http or https" in ftp["detail"]
    assert head(podium) == before
    expect(display(client, live, live.owner, description="x " * 27, minutes=1), 201)
    expect(display(client, live, live.owner, minutes=7), 201)


def test_hide_for_all_and_a_new_one_replaces_the_shown_one(
    client: TestClient, podium: Podium
) -> None:
    """A second call to action replaces the first; hiding it leaves none shown, a click on it
    is then a 409, and hiding it again writes nothing."""
    live = live_room(client)
    ann = listener(client, live, "ann@example.com")
    first = expect(display(client, live, live.owner), 201)
    second = expect(display(client, live, live.owner, description="Book a demo"), 201)
    current = shown(client, live, ann)
    assert current is not None
    assert current["cta_id"] == second["cta_id"]
    hide = f"{live.path}/ctas/{second['cta_id']}/hide"
    assert expect(client.post(hide, headers=live.owner.headers), 200)["hidden_how"] == "presenter"
    assert shown(client, live, ann) is None
    assert "not shown" in problem(click(client, live, ann, second), 409)["detail"]
    before = head(podium)
    expect(client.post(hide, headers=live.owner.headers), 200)
    assert head(podium) == before
    assert [(c["cta_id"], c["hidden_how"]) for c in stats(client, live, live.owner)] == [
        (first["cta_id"], "replaced"),
        (second["cta_id"], "presenter"),
    ]


def test_it_hides_itself_when_its_minutes_are_up(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """The policy runner holds the display until the clock reaches its end: shown at 1 minute
    59, hidden for all at 2 minutes; running the policies again changes nothing more."""
    live = live_room(client)
    ann = listener(client, live, "ann@example.com")
    cta = expect(display(client, live, live.owner), 201)
    podium.policies.catch_up()
    assert podium.policies.timers.pending(["hide_call_to_action"]) == {"hide_call_to_action": 1}
    clock.advance(timedelta(minutes=1, seconds=59))
    podium.policies.catch_up()
    assert shown(client, live, ann) is not None
    clock.advance(timedelta(seconds=1))
    assert podium.policies.catch_up() == 1
    podium.projector.catch_up()
    assert shown(client, live, ann) is None
    [row] = stats(client, live, live.owner)
    assert (row["cta_id"], row["hidden_how"]) == (cta["cta_id"], "time_up")
    before = head(podium)
    podium.policies.rewind("hide_call_to_action", 0)
    clock.advance(timedelta(minutes=10))
    podium.policies.catch_up()
    assert head(podium) == before
    assert "not shown" in problem(click(client, live, ann, cta), 409)["detail"]


def test_one_hidden_or_replaced_before_its_time_stays_as_it_is(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """When the first one's time comes, the one replacing it stays shown and the first keeps
    "replaced"; the second hides at its own time."""
    live = live_room(client)
    first = expect(display(client, live, live.owner, minutes=1), 201)
    clock.advance(timedelta(seconds=30))
    second = expect(display(client, live, live.owner, minutes=3), 201)
    clock.advance(timedelta(seconds=30))
    podium.policies.catch_up()
    podium.projector.catch_up()
    current = shown(client, live, live.owner)
    assert current is not None
    assert current["cta_id"] == second["cta_id"]
    clock.advance(timedelta(minutes=3))
    podium.policies.catch_up()
    podium.projector.catch_up()
    assert shown(client, live, live.owner) is None
    assert [(c["cta_id"], c["hidden_how"]) for c in stats(client, live, live.owner)] == [
        (first["cta_id"], "replaced"),
        (second["cta_id"], "time_up"),
    ]


def test_clicks_are_counted_once_per_attendee_and_in_all(client: TestClient) -> None:
    """Ann clicks twice and Bob once: 2 attendees, 3 clicks; each click answers the URL.
    The counts are for presenters only (403 for a listener)."""
    live = live_room(client)
    ann, bob = listener(client, live, "ann@example.com"), listener(client, live, "bob@example.com")
    cta = expect(display(client, live, live.owner), 201)
    assert expect(click(client, live, ann, cta), 200) == {
        "cta_id": cta["cta_id"],
        "url": "https://example.com/pro",
        "your_clicks": 1,
    }
    assert expect(click(client, live, ann, cta), 200)["your_clicks"] == 2
    expect(click(client, live, bob, cta), 200)
    [row] = stats(client, live, live.owner)
    assert (row["attendees"], row["clicks"]) == (2, 3)
    refused = client.get(f"{live.path}/ctas", headers=ann.headers)
    assert "clicks" in problem(refused, 403)["detail"]
    unknown = {"cta_id": "00000000-0000-4000-8000-000000000000"}
    problem(click(client, live, ann, unknown), 404)


def test_a_call_to_action_of_an_ended_session_is_not_clicked_from_the_next(
    client: TestClient,
) -> None:
    """Session 1 ends with its call to action still on screen: session 2 shows none, and a
    click on session 1's from session 2 is a 404."""
    live = live_room(client)
    cta = expect(display(client, live, live.owner), 201)
    end(client, live.owner, live.room)
    start(client, live.owner, live.room)
    cy = listener(client, live, "cy@example.com")
    assert shown(client, live, cy) is None
    problem(click(client, live, cy, cta), 404)


def test_no_call_to_action_before_the_start(client: TestClient, podium: Podium) -> None:
    """In the lobby, displaying one is a 409 and nothing is written."""
    live = live_room(client, started=False)
    before = head(podium)
    assert "not started" in problem(display(client, live, live.owner), 409)["detail"]
    assert head(podium) == before
