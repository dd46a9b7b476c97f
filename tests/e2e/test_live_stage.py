"""The stage over HTTP: the presentation and page, the shared video and where it is, so a late
joiner sees what everyone sees."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.engagement import Person, attendee, live_room, presenter, room_path
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner

VIDEO = "dQw4w9WgXcQ"


def put(client: TestClient, room: Json, who: Caller | Person, tail: str, body: Json) -> Json:
    return expect(client.put(room_path(room, tail), json=body, headers=who.headers), 200)


def stage(client: TestClient, room: Json, who: Caller | Person) -> Json:
    return expect(client.get(room_path(room, "stage"), headers=who.headers), 200)


def test_a_late_joiner_sees_the_file_and_page_shown_now(client: TestClient) -> None:
    """A presenter shows a file and turns to page 4; who joins then sees page 4 of it."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    speaker = presenter(client, room, "speaker@example.com")
    slides = {"file_id": "f-1", "name": "Launch.pdf", "page": 3}
    put(client, room, speaker, "stage/presentation", slides)
    shown = put(client, room, speaker, "stage/presentation", slides | {"page": 4})
    assert shown["presentation"] == {"file_id": "f-1", "name": "Launch.pdf", "page": 4}
    late = attendee(client, room, "late@example.com")
    assert stage(client, room, late)["presentation"]["page"] == 4
    stopped = client.delete(room_path(room, "stage/presentation"), headers=speaker.headers)
    assert expect(stopped, 200)["presentation"] is None
    assert stage(client, room, late)["presentation"] is None


def test_a_late_joiner_finds_a_playing_video_where_it_is_now(
    client: TestClient, clock: ManualClock
) -> None:
    """Shared at 30 s and playing, 90 s later it is at 120 s; paused at 125 s it stays there."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    put(client, room, owner, "stage/video", {"video_id": VIDEO, "position": 30, "playing": True})
    clock.advance(timedelta(seconds=90))
    late = attendee(client, room, "late@example.com")
    assert stage(client, room, late)["video"] == {
        "video_id": VIDEO,
        "position": 120.0,
        "playing": True,
        "set_at": stage(client, room, late)["video"]["set_at"],
    }
    put(client, room, owner, "stage/video", {"position": 125, "playing": False})
    clock.advance(timedelta(minutes=5))
    video = stage(client, room, late)["video"]
    assert (video["video_id"], video["position"], video["playing"]) == (VIDEO, 125.0, False)
    put(client, room, owner, "stage/video", {"position": 10.5, "playing": False})
    assert stage(client, room, late)["video"]["position"] == 10.5
    expect(client.delete(room_path(room, "stage/video"), headers=owner.headers), 200)
    assert stage(client, room, late)["video"] is None


def test_only_presenters_change_the_stage_and_bad_input_writes_nothing(
    client: TestClient, podium: Podium
) -> None:
    """An attendee is refused (403); a bad video id or page is a 422; play with no video
    shared is a 409; none of them appends anything."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    before = head(podium)
    refused = client.put(
        room_path(room, "stage/video"), json={"video_id": VIDEO}, headers=ann.headers
    )
    assert "only a host or presenter" in problem(refused, 403)["detail"]
    for tail, body, status in (
        ("stage/video", {"video_id": "not a video"}, 422),
        ("stage/video", {"video_id": VIDEO, "position": -1}, 422),
        ("stage/presentation", {"file_id": "f", "name": "x.pdf", "page": 0}, 422),
        ("stage/video", {"position": 5, "playing": True}, 409),
    ):
        problem(client.put(room_path(room, tail), json=body, headers=owner.headers), status)
    assert head(podium) == before
