"""Raised hands over HTTP: the queue keeps the order hands went up; the attendee lowers their
own, a presenter lowers anyone's; raising again goes to the end."""

from __future__ import annotations

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.helpers import Caller, Json, expect, head, problem
from tests.e2e.live_room import LiveRoom, Person, listener, live_room, presenter


def raise_hand(client: TestClient, live: LiveRoom, who: Person) -> Json:
    return expect(client.post(f"{live.path}/hand", headers=who.headers), 200)


def queue(client: TestClient, live: LiveRoom, who: Person | Caller) -> list[Json]:
    hands: list[Json] = expect(client.get(f"{live.path}/hands", headers=who.headers), 200)["hands"]
    return hands


def test_the_queue_keeps_the_order_hands_went_up(client: TestClient) -> None:
    """Three hands raised are queued first to last, with their places; presenters see emails."""
    live = live_room(client)
    people = [listener(client, live, f"{n}@example.com") for n in ("ann", "bob", "cy")]
    for person in people:
        assert raise_hand(client, live, person)["raised"] is True
    seen = queue(client, live, people[0])
    assert [(h["place"], h["nickname"]) for h in seen] == [(1, "Ann"), (2, "Bob"), (3, "Cy")]
    assert "email" not in seen[0]
    assert [h["email"] for h in queue(client, live, live.owner)] == [p.email for p in people]


def test_lowering_your_own_hand_and_raising_it_again_goes_to_the_end(
    client: TestClient, podium: Podium
) -> None:
    """Ann lowers her hand and raises it again: she is behind Bob now. Raising a raised hand
    or lowering a lowered one writes nothing."""
    live = live_room(client)
    ann, bob = listener(client, live, "ann@example.com"), listener(client, live, "bob@example.com")
    raise_hand(client, live, ann)
    raise_hand(client, live, bob)
    before = head(podium)
    raise_hand(client, live, ann)
    assert head(podium) == before
    lowered = expect(client.delete(f"{live.path}/hand", headers=ann.headers), 200)
    assert lowered["raised"] is False
    assert [h["nickname"] for h in queue(client, live, bob)] == ["Bob"]
    before = head(podium)
    expect(client.delete(f"{live.path}/hand", headers=ann.headers), 200)
    assert head(podium) == before
    raise_hand(client, live, ann)
    assert [h["nickname"] for h in queue(client, live, bob)] == ["Bob", "Ann"]


def test_a_presenter_lowers_anyones_hand_and_a_listener_may_not(
    client: TestClient, podium: Podium
) -> None:
    """A listener lowering another's hand gets 403; the presenter lowers it; unknown is 404."""
    live = live_room(client)
    ann, bob = listener(client, live, "ann@example.com"), listener(client, live, "bob@example.com")
    pat = presenter(client, live, "pat@example.com")
    hand = raise_hand(client, live, ann)
    path = f"{live.path}/hands/{hand['hand_id']}/lower"
    before = head(podium)
    assert "someone else's hand" in problem(client.post(path, headers=bob.headers), 403)["detail"]
    assert head(podium) == before
    assert expect(client.post(path, headers=pat.headers), 200)["raised"] is False
    assert queue(client, live, pat) == []
    unknown = f"{live.path}/hands/00000000-0000-4000-8000-000000000000/lower"
    problem(client.post(unknown, headers=live.owner.headers), 404)


def test_a_lowered_never_raised_hand_and_the_lobby(client: TestClient, podium: Podium) -> None:
    """Lowering a hand never raised changes nothing; raising it in the lobby is a 409."""
    live = live_room(client, started=False)
    ann = listener(client, live, "ann@example.com")
    before = head(podium)
    assert expect(client.delete(f"{live.path}/hand", headers=ann.headers), 200)["raised"] is False
    assert (
        "not started"
        in problem(client.post(f"{live.path}/hand", headers=ann.headers), 409)["detail"]
    )
    assert head(podium) == before
