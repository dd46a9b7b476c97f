"""Exact room replay (issue 10 §6, decision 0029): the room's state at any position of a
session, recomputed from the log, equals what a live socket was shown at that position."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.helpers import Caller, Json, expect, problem, trial_owner
from tests.e2e.live_room import LiveRoom, Person, listener, presenter
from tests.e2e.live_socket import connect, receive
from tests.e2e.test_live_cta import OFFER
from tests.e2e.test_live_polls import OPINION
from tests.e2e.test_live_sessions import end, permanent_room, start


def state_path(live: LiveRoom, session: int = 1) -> str:
    return f"{live.path}/sessions/{session}/state"


def replayed(client: TestClient, live: LiveRoom, at: Any, who: Caller | None = None) -> Json:
    headers = (who or live.owner).headers
    return expect(client.get(state_path(live), params={"at": at}, headers=headers), 200)


def snapshot(client: TestClient, live: LiveRoom, person: Person) -> Json:
    """What a socket connecting now is shown: the state at its position."""
    with connect(client, live.room, person.credential) as socket:
        frame = receive(socket)
    assert frame["type"] == "snapshot", frame
    return frame


def drain(socket: Any, upto: int) -> list[Json]:
    """The live socket's events until it has seen position ``upto``."""
    got: list[Json] = []
    while not got or got[-1]["position"] < upto:
        frame = receive(socket)
        assert frame["type"] == "events", frame
        got.extend(frame["events"])
    return got


def script(client: TestClient, live: LiveRoom, speaker: Person) -> list[tuple[str, Any]]:
    """A session's worth of room actions, each a step a clock tick after the one before."""
    path, owner = live.path, live.owner.headers
    ann: list[Person] = []
    poll: dict[str, str] = {}

    def join_ann() -> None:
        ann.append(listener(client, live, "ann@example.com"))

    def chat() -> None:
        body = {"text": "hello from ann"}
        expect(client.post(f"{path}/chat/messages", json=body, headers=ann[0].headers), 201)

    def hand() -> None:
        expect(client.post(f"{path}/hand", headers=ann[0].headers), 200)

    def open_poll() -> None:
        made = expect(client.post(f"{path}/polls", json=OPINION, headers=speaker.headers), 201)
        poll["id"] = made["poll_id"]
        expect(client.post(f"{path}/polls/{poll['id']}/open", headers=speaker.headers), 200)

    def answer() -> None:
        question = "q1"
        expect(
            client.get(f"{path}/polls/{poll['id']}", headers=ann[0].headers), 200
        )  # the attendee sees it
        body = {"question_id": question, "choices": ["c1"]}
        answered = client.post(
            f"{path}/polls/{poll['id']}/answers", json=body, headers=ann[0].headers
        )
        expect(answered, 200)

    def cta() -> None:
        expect(client.post(f"{path}/ctas", json=OFFER, headers=speaker.headers), 201)

    def mode(value: str) -> Any:
        return lambda: expect(
            client.post(f"{path}/audio/mode", json={"mode": value}, headers=owner), 200
        )

    def recording(verb: str) -> Any:
        return lambda: expect(client.post(f"{path}/recording/{verb}", headers=owner), 200)

    return [
        ("join", join_ann),
        ("chat", chat),
        ("hand", hand),
        ("poll", open_poll),
        ("answer", answer),
        ("cta", cta),
        ("qa", mode("qa")),
        ("recording on", recording("start")),
        ("presenters only", mode("presenters_only")),
        ("recording off", recording("stop")),
    ]


def test_the_state_at_each_position_equals_what_a_live_socket_was_shown(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """For a scripted session, the replayed state at each step's position is the snapshot a
    socket connecting at that moment got (minus ``you``), by position and by instant; after
    the end the replay shows the session ended with its last state."""
    owner = trial_owner(client, "owner@example.com")
    live = LiveRoom(owner, permanent_room(client, owner, seats=10))
    start(client, owner, live.room)
    speaker = presenter(client, live, "speaker@example.com")
    moments: list[tuple[str, Json, str]] = []
    with connect(client, live.room, speaker.credential) as socket:
        assert receive(socket)["type"] == "snapshot"
        seen: list[Json] = []
        for name, step in script(client, live, speaker):
            clock.advance(timedelta(seconds=7))
            step()
            shown = snapshot(client, live, speaker)
            seen.extend(drain(socket, shown["position"]))
            moments.append((name, shown, clock.now().isoformat()))
        clock.advance(timedelta(seconds=7))
        end(client, owner, live.room)
        last = drain(socket, podium.store.recorder.max_notification_id() or 0)[-1]
    assert [e["position"] for e in seen] == sorted({e["position"] for e in seen})
    for name, shown, instant in moments:
        expected = {k: v for k, v in shown["state"].items() if k != "you"}
        by_position = replayed(client, live, shown["position"])
        assert by_position["position"] == shown["position"], name
        assert by_position["state"] == expected, name
        by_instant = replayed(client, live, instant)
        assert by_instant["position"] == shown["position"], name
        assert by_instant["state"] == expected, name
    final = replayed(client, live, last["position"])["state"]
    assert final["session"]["state"] == "ended"
    assert final["recording"]["on"] is False
    assert final["audio"]["mode"] == "presenters_only"
    assert [m["text"] for m in final["chat"]["messages"]] == ["hello from ann"]
    # What each step changed is there at its moment and not before it.
    states = {name: shown["state"] for name, shown, _ in moments}
    assert states["join"]["hands"] == []
    assert len(states["hand"]["hands"]) == 1
    assert states["answer"]["poll"]["results"] != states["poll"]["poll"]["results"]
    assert states["qa"]["audio"]["mode"] == "qa"
    assert states["cta"]["audio"]["mode"] != "qa"
    assert states["cta"]["cta"] is not None
    assert states["answer"]["cta"] is None
    assert states["recording on"]["recording"]["on"]
    assert not states["qa"]["recording"]["on"]


def test_bad_moments_and_foreign_or_unknown_sessions_get_a_clear_4xx(
    client: TestClient, clock: ManualClock
) -> None:
    """Junk, a position or an instant outside the session, an unknown session and another
    account's room are refused with a message, never a 500."""
    owner = trial_owner(client, "owner@example.com")
    live = LiveRoom(owner, permanent_room(client, owner, seats=10))
    start(client, owner, live.room)
    clock.advance(timedelta(minutes=5))
    end(client, owner, live.room)
    path, headers = state_path(live), owner.headers
    for junk in ("yesterday", "12abc", "2026-13-45T00:00:00Z", "-1"):
        detail = problem(client.get(path, params={"at": junk}, headers=headers), 422)["detail"]
        assert detail
    problem(client.get(path, headers=headers), 422)
    before = (clock.now() - timedelta(days=1)).isoformat()
    assert (
        "outside"
        in problem(client.get(path, params={"at": before}, headers=headers), 422)["detail"]
    )
    after = (clock.now() + timedelta(days=1)).isoformat()
    problem(client.get(path, params={"at": after}, headers=headers), 422)
    problem(client.get(path, params={"at": 10**12}, headers=headers), 422)
    unknown = f"{live.path}/sessions/2/state"
    assert (
        "not found"
        in problem(client.get(unknown, params={"at": 1}, headers=headers), 404)["detail"]
    )
    stranger = trial_owner(client, "stranger@example.com")
    problem(client.get(path, params={"at": 1}, headers=stranger.headers), 404)
