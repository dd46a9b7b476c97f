"""A live session's chat over HTTP: to all, privately to presenters, deleted by a presenter,
switched off for participants, limited in length and in rate; each session keeps its history."""

from __future__ import annotations

from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.routes.live import ACTIONS
from api.routes.live.chat import ChatIn
from api.throttle import RateLimitedError
from commands.unit_of_work import Outcome
from podium.bootstrap import Podium
from podium.throttle import build_rate_limiter
from tests.e2e.helpers import Json, expect, head, problem
from tests.e2e.live_room import LiveRoom, Person, listener, live_room, presenter
from tests.e2e.test_live_sessions import end, start


def say(
    client: TestClient, live: LiveRoom, who: Person | dict[str, str], text: str, to: str = "all"
) -> Response:
    headers = who.headers if isinstance(who, Person) else who
    body = {"text": text, "to": to}
    response: Response = client.post(f"{live.path}/chat/messages", json=body, headers=headers)
    return response


def history(
    client: TestClient, live: LiveRoom, who: Person | dict[str, str], **params: int
) -> Json:
    headers = who.headers if isinstance(who, Person) else who
    return expect(client.get(f"{live.path}/chat/messages", params=params, headers=headers), 200)


def texts(body: Json) -> list[str]:
    return [m["text"] for m in body["messages"]]


def test_messages_to_all_reach_everyone_in_the_order_sent(client: TestClient) -> None:
    """A listener's and a presenter's messages are the session's history, in order, for all;
    only presenters see the senders' emails."""
    live = live_room(client)
    ann, pat = listener(client, live, "ann@example.com"), presenter(client, live, "pat@example.com")
    sent = expect(say(client, live, ann, "  Hello everyone  "), 201)
    assert (sent["text"], sent["to"], sent["role"], sent["nickname"]) == (
        "Hello everyone",
        "all",
        "listener",
        "Ann",
    )
    expect(say(client, live, pat, "Welcome!"), 201)
    seen = history(client, live, listener(client, live, "bob@example.com"))
    assert (seen["session"], seen["enabled"]) == (1, True)
    assert texts(seen) == ["Hello everyone", "Welcome!"]
    assert "email" not in seen["messages"][0]
    hosted = history(client, live, live.owner.headers)
    assert [m["email"] for m in hosted["messages"]] == ["ann@example.com", "pat@example.com"]


def test_a_retry_under_the_same_idempotency_key_sends_nothing_twice(
    client: TestClient, podium: Podium
) -> None:
    """A send retried with its Idempotency-Key answers the first message and appends nothing;
    another participant's same key is their own."""
    live = live_room(client)
    ann, bob = listener(client, live, "ann@example.com"), listener(client, live, "bob@example.com")
    path, body = f"{live.path}/chat/messages", {"text": "once"}
    keyed = ann.headers | {"Idempotency-Key": "k1"}
    first = expect(client.post(path, json=body, headers=keyed), 201)
    before = head(podium)
    again = client.post(path, json=body, headers=keyed)
    assert expect(again, 201)["message_id"] == first["message_id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert head(podium) == before
    theirs = client.post(path, json=body, headers=bob.headers | {"Idempotency-Key": "k1"})
    assert expect(theirs, 201)["message_id"] != first["message_id"]
    assert texts(history(client, live, ann)) == ["once", "once"]


def test_a_private_message_reaches_the_presenters_only(client: TestClient) -> None:
    """A message to the presenters is seen by them and by its sender, not by other listeners."""
    live = live_room(client)
    ann, bob = listener(client, live, "ann@example.com"), listener(client, live, "bob@example.com")
    pat = presenter(client, live, "pat@example.com")
    expect(say(client, live, ann, "Can you share the slides?", to="presenters"), 201)
    expect(say(client, live, bob, "Hi all"), 201)
    assert texts(history(client, live, bob)) == ["Hi all"]
    assert texts(history(client, live, ann)) == ["Can you share the slides?", "Hi all"]
    shown = history(client, live, pat)["messages"]
    assert [(m["text"], m["to"]) for m in shown] == [
        ("Can you share the slides?", "presenters"),
        ("Hi all", "all"),
    ]


def test_with_chat_off_only_presenters_write(client: TestClient, podium: Podium) -> None:
    """Turned off, a listener's message is refused (409) and nothing is written, while a
    presenter still writes; turned on again, the listener writes."""
    live = live_room(client)
    ann, pat = listener(client, live, "ann@example.com"), presenter(client, live, "pat@example.com")
    off = expect(client.put(f"{live.path}/chat", json={"enabled": False}, headers=pat.headers), 200)
    assert off["enabled"] is False
    before = head(podium)
    assert "turned off" in problem(say(client, live, ann, "anyone?"), 409)["detail"]
    assert head(podium) == before
    expect(say(client, live, pat, "Questions at the end, please"), 201)
    assert history(client, live, ann)["enabled"] is False
    expect(client.put(f"{live.path}/chat", json={"enabled": True}, headers=live.owner.headers), 200)
    expect(say(client, live, ann, "thanks"), 201)
    assert texts(history(client, live, ann)) == ["Questions at the end, please", "thanks"]


def test_a_listener_may_not_switch_the_chat(client: TestClient, podium: Podium) -> None:
    """Switching the chat is for hosts and presenters: a listener gets 403 and nothing changes."""
    live = live_room(client)
    ann = listener(client, live, "ann@example.com")
    before = head(podium)
    response = client.put(f"{live.path}/chat", json={"enabled": False}, headers=ann.headers)
    assert "turn the chat on or off" in problem(response, 403)["detail"]
    assert head(podium) == before


def test_switching_to_what_it_already_is_appends_nothing(
    client: TestClient, podium: Podium
) -> None:
    """Chat is on by default: turning it on, or off twice, writes at most one change."""
    live = live_room(client)
    switch = f"{live.path}/chat"
    before = head(podium)
    expect(client.put(switch, json={"enabled": True}, headers=live.owner.headers), 200)
    assert head(podium) == before
    expect(client.put(switch, json={"enabled": False}, headers=live.owner.headers), 200)
    after_off = head(podium)
    expect(client.put(switch, json={"enabled": False}, headers=live.owner.headers), 200)
    assert head(podium) == after_off


def test_a_presenter_deletes_a_message_and_the_history_keeps_it_marked(
    client: TestClient,
) -> None:
    """A deleted message leaves the participants' history; presenters still see it, marked
    with who deleted it. A listener may not delete (403); an unknown message is 404."""
    live = live_room(client)
    ann, pat = listener(client, live, "ann@example.com"), presenter(client, live, "pat@example.com")
    rude = expect(say(client, live, ann, "spam spam"), 201)
    expect(say(client, live, ann, "sorry"), 201)
    path = f"{live.path}/chat/messages/{rude['message_id']}"
    assert (
        "delete chat messages" in problem(client.delete(path, headers=ann.headers), 403)["detail"]
    )
    assert expect(client.delete(path, headers=pat.headers), 200)["deleted"] is True
    assert texts(history(client, live, ann)) == ["sorry"]
    [gone, kept] = history(client, live, pat)["messages"]
    assert (gone["deleted"], gone["deleted_by"], kept["deleted"]) == (
        True,
        "presenter:pat@example.com",
        False,
    )
    unknown = f"{live.path}/chat/messages/00000000-0000-4000-8000-000000000000"
    problem(client.delete(unknown, headers=pat.headers), 404)


def test_a_message_over_2000_characters_is_refused(client: TestClient, podium: Podium) -> None:
    """2,000 characters are sent; 2,001 are a 422 naming the field, with nothing written."""
    live = live_room(client)
    ann = listener(client, live, "ann@example.com")
    expect(say(client, live, ann, "x" * 2000), 201)
    before = head(podium)
    refused = problem(say(client, live, ann, "x" * 2001), 422)
    assert refused["errors"][0]["field"] == "text"
    problem(say(client, live, ann, "   "), 422)
    assert head(podium) == before


def stretch_the_window(podium: Podium) -> None:
    """The chat limit as 5 a minute instead of 5 a second: the same rule, but a loaded machine
    cannot spread six sends past its window (the default itself is pinned in
    tests/unit/test_throttle.py)."""
    podium.settings = podium.settings.model_copy(update={"limit_chat_per_participant": "5/minute"})
    podium.rate_limiter = build_rate_limiter(podium.settings)


def test_more_messages_than_the_limit_from_one_participant_are_429(
    client: TestClient, podium: Podium
) -> None:
    """A sixth message within the window is refused with 429 and Retry-After, and not
    written; another listener writes meanwhile."""
    stretch_the_window(podium)
    live = live_room(client)
    ann, bob = listener(client, live, "ann@example.com"), listener(client, live, "bob@example.com")
    for n in range(5):
        expect(say(client, live, ann, f"burst {n}"), 201)
    before = head(podium)
    refused = say(client, live, ann, "burst 5")
    assert "at most 5/minute from one participant" in problem(refused, 429)["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert head(podium) == before
    expect(say(client, live, bob, "me too"), 201)
    assert texts(history(client, live, bob)) == [*(f"burst {n}" for n in range(5)), "me too"]


def test_the_socket_action_keeps_the_same_rate_limit(client: TestClient, podium: Podium) -> None:
    """``chat.send`` from the action table refuses a sixth message in the window as REST does."""
    stretch_the_window(podium)
    live = live_room(client)
    ann = listener(client, live, "ann@example.com")
    action = ACTIONS["chat.send"]
    room_id = UUID(live.room["room_id"])
    for n in range(5):
        assert (
            action.run(podium, ann.credential, room_id, ChatIn(text=f"m{n}")).outcome
            == Outcome.CREATED
        )
    with pytest.raises(RateLimitedError) as refused:
        action.run(podium, ann.credential, room_id, ChatIn(text="m5"))
    assert refused.value.retry_after >= 1


def test_each_session_keeps_its_own_history(client: TestClient) -> None:
    """The next session's chat starts empty; the host still reads the first one's."""
    live = live_room(client)
    expect(say(client, live, listener(client, live, "ann@example.com"), "first session"), 201)
    end(client, live.owner, live.room)
    start(client, live.owner, live.room)
    cy = listener(client, live, "cy@example.com")
    assert (history(client, live, cy)["session"], texts(history(client, live, cy))) == (2, [])
    expect(say(client, live, cy, "second session"), 201)
    assert texts(history(client, live, live.owner.headers)) == ["second session"]
    assert texts(history(client, live, live.owner.headers, session=1)) == ["first session"]
    refused = client.get(f"{live.path}/chat/messages", params={"session": 1}, headers=cy.headers)
    problem(refused, 403)


def test_no_chat_before_the_start_or_after_leaving(client: TestClient, podium: Podium) -> None:
    """In the lobby, or after leaving, a message is refused (409) and nothing is written."""
    live = live_room(client, started=False)
    ann = listener(client, live, "ann@example.com")
    before = head(podium)
    assert "not started" in problem(say(client, live, ann, "hello?"), 409)["detail"]
    assert head(podium) == before
    start(client, live.owner, live.room)
    expect(client.post(f"{live.path}/leave", json={"credential": ann.credential}), 200)
    assert "left" in problem(say(client, live, ann, "still here?"), 409)["detail"]
