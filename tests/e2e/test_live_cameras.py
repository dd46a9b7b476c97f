"""Camera feeds over HTTP: 4 by default, up to 7 with the camera-feed add-on, one more refused
with a message naming the add-on, avatars instead of cameras, and the limit held in a race."""

from __future__ import annotations

import threading
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError
from fastapi.testclient import TestClient
from httpx import Response

from api.routes.live import ACTIONS
from commands.unit_of_work import Outcome
from domain.live.cameras import CameraFeeds
from podium.bootstrap import Podium
from tests.e2e.engagement import Person, attendee, live_room, presenter, room_path
from tests.e2e.helpers import Caller, Json, expect, head, paying_owner, post, problem, trial_owner


def camera(client: TestClient, room: Json, who: Caller | Person, on: bool = True) -> Response:
    response: Response = client.put(room_path(room, "camera"), json={"on": on}, headers=who.headers)
    return response


def guest(client: TestClient, room: Json, owner: Caller, email: str) -> Person:
    """An attendee the host asked on camera."""
    person = attendee(client, room, email)
    path = room_path(room, "cameras/guests")
    expect(client.post(path, json={"email": email}, headers=owner.headers), 200)
    return person


def feeds(client: TestClient, room: Json, who: Caller | Person) -> Json:
    return expect(client.get(room_path(room, "cameras"), headers=who.headers), 200)


def test_a_fifth_camera_is_refused_naming_the_add_on_and_an_avatar_frees_a_feed(
    client: TestClient, podium: Podium
) -> None:
    """Four cameras on; the fifth is a 409 naming the camera-feed add-on, nothing written;
    one turning theirs off shows an avatar and the fifth gets the feed."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    speakers = [presenter(client, room, f"p{n}@example.com") for n in (1, 2)]
    ann = guest(client, room, owner, "ann@example.com")
    bob = guest(client, room, owner, "bob@example.com")
    everyone: list[Caller | Person] = [owner, *speakers, ann]
    for who in everyone:
        taken = expect(camera(client, room, who), 200)
    assert (taken["limit"], taken["in_use"]) == (4, 4)
    before = head(podium)
    refused = problem(camera(client, room, bob), 409)["detail"]
    assert "all 4 camera feeds are in use" in refused
    assert "camera feed add-on (camera_feed)" in refused
    assert "up to 7" in refused
    assert head(podium) == before
    assert expect(camera(client, room, ann, on=False), 200)["in_use"] == 3
    expect(camera(client, room, bob), 200)
    shown = feeds(client, room, bob)
    assert shown["in_use"] == 4
    assert [(f["nickname"], f["shows"]) for f in shown["feeds"]] == [
        ("owner@example.com", "camera"),
        ("P1", "camera"),
        ("P2", "camera"),
        ("Ann", "avatar"),
        ("Bob", "camera"),
    ]
    assert "email" not in shown["feeds"][0]


def test_two_presenters_racing_for_the_last_feed_one_gets_it(client: TestClient) -> None:
    """Three feeds taken, two presenters turn their cameras on at once: one 200, one 409."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    rivals = [presenter(client, room, f"p{n}@example.com") for n in (1, 2)]
    for who in (
        owner,
        guest(client, room, owner, "a@example.com"),
        guest(client, room, owner, "b@example.com"),
    ):
        expect(camera(client, room, who), 200)
    ready = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def race(who: Person) -> None:
        ready.wait()
        try:
            statuses.append(camera(client, room, who).status_code)
        except BaseException as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=race, args=(r,)) for r in rivals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(statuses) == [200, 409]
    assert feeds(client, room, owner)["in_use"] == 4


def test_the_add_on_raises_feeds_to_seven_and_the_eighth_is_refused(client: TestClient) -> None:
    """With three camera-feed add-ons seven cameras run; the eighth is told it is the most."""
    owner = paying_owner(client, "owner@example.com")
    post(client, owner, "/account/add-ons", {"add_on": "camera_feed", "quantity": 3})
    room = live_room(client, owner)
    people: list[Caller | Person] = [owner]
    people += [presenter(client, room, f"p{n}@example.com") for n in (1, 2)]
    people += [guest(client, room, owner, f"g{n}@example.com") for n in range(5)]
    for who in people[:7]:
        taken = expect(camera(client, room, who), 200)
    assert (taken["limit"], taken["in_use"]) == (7, 7)
    refused = problem(camera(client, room, people[7]), 409)["detail"]
    assert "all 7 camera feeds are in use, the most the camera feed add-on" in refused


def test_an_attendee_needs_to_be_asked_on_camera(client: TestClient, podium: Podium) -> None:
    """An attendee not asked is refused (403, nothing written); they may still show an
    avatar; an attendee may not ask others on camera."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    before = head(podium)
    assert "must ask you on camera" in problem(camera(client, room, ann), 403)["detail"]
    assert head(podium) == before
    asked = client.post(
        room_path(room, "cameras/guests"), json={"email": "ann@example.com"}, headers=ann.headers
    )
    problem(asked, 403)
    nobody = client.post(
        room_path(room, "cameras/guests"), json={"email": "x@example.com"}, headers=owner.headers
    )
    problem(nobody, 404)
    expect(camera(client, room, ann, on=False), 200)
    assert [f["shows"] for f in feeds(client, room, owner)["feeds"]] == ["avatar"]


def test_a_feed_held_by_someone_who_left_is_given_back(client: TestClient) -> None:
    """Four feeds full, one holder leaves the session: the next camera takes their feed."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    holders: list[Caller | Person] = [
        owner,
        *(guest(client, room, owner, f"g{n}@example.com") for n in range(3)),
    ]
    for who in holders:
        expect(camera(client, room, who), 200)
    late = guest(client, room, owner, "late@example.com")
    problem(camera(client, room, late), 409)
    gone = holders[1]
    assert isinstance(gone, Person)
    left = client.post(room_path(room, "leave"), json={"credential": gone.credential})
    expect(left, 200)
    assert expect(camera(client, room, late), 200)["in_use"] == 4
    shown = [f["email"] for f in feeds(client, room, owner)["feeds"]]
    assert "g0@example.com" not in shown
    assert "late@example.com" in shown


def test_camera_over_the_socket_action(client: TestClient, podium: Podium) -> None:
    """``camera.set`` in the action table turns a presenter's camera on as REST does."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    speaker = presenter(client, room, "speaker@example.com")
    action = ACTIONS["camera.set"]
    result = action.run(
        podium, speaker.credential, UUID(room["room_id"]), action.body.model_validate({"on": True})
    )
    assert (result.outcome, result.body["in_use"]) == (Outcome.DONE, 1)


def test_the_last_feed_taken_twice_from_the_same_state_is_one_write_only(
    client: TestClient, podium: Podium
) -> None:
    """The race made certain: two changes decided on the same version of the session's feeds
    cannot both be saved; the second is refused by the store, and its retry sees them full."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    on: list[Caller | Person] = [owner, guest(client, room, owner, "g0@example.com")]
    for who in [*on, guest(client, room, owner, "g1@example.com")]:
        expect(camera(client, room, who), 200)
    late = presenter(client, room, "late@example.com")
    feeds_id = CameraFeeds.id_for(UUID(room["room_id"]), 1)
    first, second = podium.store.load(feeds_id), podium.store.load(feeds_id)
    assert isinstance(first, CameraFeeds)
    assert isinstance(second, CameraFeeds)
    assert first.turn_on("p1@example.com", "P1", 4, podium.clock.now())
    assert second.turn_on("p2@example.com", "P2", 4, podium.clock.now())
    podium.store.save(first)
    with pytest.raises(IntegrityError):
        podium.store.save(second)
    podium.projector.catch_up()
    assert "all 4 camera feeds" in problem(camera(client, room, late), 409)["detail"]
