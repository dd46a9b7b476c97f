"""The room's WebSocket: snapshot and position, every room event in order, resume with since=,
the audience rules, actions and bad frames, and refusals (decision 0020)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
from starlette.websockets import WebSocketDisconnect

from api.routes.live import ACTIONS
from api.routes.live.actions import SocketAction
from commands.live.actors import Caller as RoomCaller
from commands.unit_of_work import Outcome, Result, UnitOfWork
from podium.bootstrap import Podium
from tests.e2e.helpers import expect, trial_owner
from tests.e2e.live_socket import (
    connect,
    credential,
    events,
    presenter_credential,
    receive,
    room_with_session,
)
from tests.e2e.rooms import join


def head(podium: Podium) -> int:
    return podium.store.recorder.max_notification_id() or 0


def test_a_socket_starts_with_the_room_state_at_a_position(
    client: TestClient, podium: Podium
) -> None:
    """The snapshot shows who is present, with roles, and the session, at the log's position;
    a listener sees no one's email, a presenter sees them."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    speaker = presenter_credential(client, room, "speaker@example.com")
    with connect(client, room, ann) as socket:
        first = receive(socket)
    assert first["type"] == "snapshot"
    assert first["position"] == head(podium)
    state = first["state"]
    assert state["session"]["state"] == "live"
    assert state["session"]["number"] == 1
    assert state["you"]["role"] == "listener"
    people = {p["nickname"]: p for p in state["presence"]}
    assert {name: p["role"] for name, p in people.items()} == {
        "Ann": "listener",
        "Speaker": "presenter",
    }
    assert all("email" not in p for p in state["presence"])
    with connect(client, room, speaker) as socket:
        seen = receive(socket)["state"]["presence"]
    assert {p["email"] for p in seen} == {"ann@example.com", "speaker@example.com"}


def test_room_events_follow_in_order_each_with_its_position(
    client: TestClient, podium: Podium
) -> None:
    """Joins and a leave after the snapshot arrive in log order, positions rising past it."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    with connect(client, room, ann) as socket:
        snapshot = receive(socket)
        bob = credential(client, room, "bob@example.com")
        credential(client, room, "cy@example.com")
        expect(client.post(f"/rooms/{room['room_id']}/leave", json={"credential": bob}), 200)
        got = events(socket, 3)
    assert [e["kind"] for e in got] == [
        "admission.admitted",
        "admission.admitted",
        "admission.left",
    ]
    positions = [e["position"] for e in got]
    assert positions == sorted(set(positions))
    assert positions[0] > snapshot["position"]
    assert [e["payload"].get("nickname") for e in got[:2]] == ["Bob", "Cy"]
    assert all("email" not in e["payload"] for e in got)
    assert got[2]["stream"] == got[0]["stream"]  # Bob's admission: match it to the presence


def test_reconnecting_with_since_gets_exactly_what_was_missed(client: TestClient) -> None:
    """Events while away come once each, in order, and live ones follow with no gap."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    with connect(client, room, ann) as socket:
        receive(socket)
        credential(client, room, "bob@example.com")
        last = events(socket, 1)[0]["position"]
    credential(client, room, "cy@example.com")
    credential(client, room, "di@example.com")
    with connect(client, room, ann, since=last) as socket:
        assert receive(socket) == {"type": "resumed", "since": last}
        missed = events(socket, 2)
        credential(client, room, "ed@example.com")
        live = events(socket, 1)
    assert [e["payload"]["nickname"] for e in missed + live] == ["Cy", "Di", "Ed"]
    positions = [e["position"] for e in missed + live]
    assert positions == sorted(set(positions))
    assert positions[0] > last


def test_a_since_too_far_back_or_not_a_position_gets_a_fresh_snapshot(
    client: TestClient, podium: Podium
) -> None:
    """More missed events than the resume window, or a since that is no position: snapshot."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    position = head(podium)
    credential(client, room, "bob@example.com")
    credential(client, room, "cy@example.com")
    podium.settings.ws_resume_events = 1
    for since in (str(position), "yesterday", str(10**12)):
        with client.websocket_connect(
            f"/ws/rooms/{room['room_id']}?credential={ann}&since={since}"
        ) as socket:
            frame = receive(socket)
        assert frame["type"] == "snapshot", since
        assert frame["position"] == head(podium)
        assert len(frame["state"]["presence"]) == 3


@pytest.mark.parametrize(
    ("sent", "says"),
    [
        ("not json", "a frame must be valid JSON"),
        ("[1, 2]", "a frame must be a JSON object"),
        ('{"text": "hello"}', 'a frame needs "action"'),
        ('{"action": "fly"}', "unknown action 'fly'"),
    ],
)
def test_a_bad_frame_gets_an_error_frame_and_the_socket_stays_open(
    client: TestClient, sent: str, says: str
) -> None:
    """Each bad frame is answered with a 400 error frame saying why; the socket still works."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    with connect(client, room, credential(client, room, "ann@example.com")) as socket:
        receive(socket)
        socket.send_text(sent)
        answer = receive(socket)
        socket.send_json({"action": "ping", "ref": 7})
        assert receive(socket) == {"type": "pong", "ref": 7}
    assert answer["type"] == "error"
    assert answer["status"] == 400
    assert says in answer["detail"]


class Note(BaseModel):
    text: str = Field(max_length=10)


def whoami(podium: Podium, caller: RoomCaller, room_id: UUID, body: Note) -> Result:
    """A test action: the caller as the command sees them, with their note."""

    def command(unit: UnitOfWork) -> Result:
        actor = podium.actors.resolve(unit, room_id, caller)
        return Result(Outcome.DONE, {"nickname": actor.nickname, "note": body.text})

    return podium.runner.run(command)


@pytest.fixture
def test_action(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(ACTIONS, "test.whoami", SocketAction(Note, whoami))


@pytest.mark.usefixtures("test_action")
def test_socket_actions_run_with_the_rest_rules_and_errors(client: TestClient) -> None:
    """An action's answer carries its body; a bad field is the same 422 as REST; a command's
    refusal is its REST status and detail; ``ref`` comes back."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    answers: list[dict[str, Any]] = []
    with connect(client, room, ann) as socket:
        receive(socket)
        socket.send_json({"action": "test.whoami", "ref": "a", "text": "hi"})
        answers.append(receive(socket))
        socket.send_json({"action": "test.whoami", "ref": "b", "text": "far too long a note"})
        answers.append(receive(socket))
        expect(client.post(f"/rooms/{room['room_id']}/leave", json={"credential": ann}), 200)
        socket.send_json({"action": "test.whoami", "ref": "c", "text": "gone"})
        while (frame := receive(socket))["type"] == "events":
            pass
        answers.append(frame)
    ok, invalid, refused = answers
    assert ok == {
        "type": "answer",
        "action": "test.whoami",
        "ref": "a",
        "status": 200,
        "body": {"nickname": "Ann", "note": "hi"},
    }
    assert (invalid["type"], invalid["status"], invalid["ref"]) == ("error", 422, "b")
    assert invalid["errors"][0]["field"] == "text"
    assert (refused["status"], refused["ref"]) == (409, "c")
    assert "you have left this session" in refused["detail"]


def test_a_socket_without_a_good_credential_is_refused_with_a_reason(
    client: TestClient,
) -> None:
    """No credential: 401; a forged one or another room's: 403; each an error frame, then the
    socket closes with 4000 + the status."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    other = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    cases = [
        (f"/ws/rooms/{room['room_id']}", 401),
        (f"/ws/rooms/{room['room_id']}?credential={ann[:-2]}xx", 403),
        (f"/ws/rooms/{other['room_id']}?credential={ann}", 403),
        (f"/ws/rooms/not-a-room?credential={ann}", 404),
    ]
    for path, status in cases:
        with client.websocket_connect(path) as socket:
            frame = socket.receive_json()
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
        assert (frame["type"], frame["status"]) == ("error", status), path
        assert closed.value.code == 4000 + status


def test_presenters_only_see_emails_in_events(client: TestClient) -> None:
    """The same join reaches a presenter with the email and a listener without it."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    speaker = presenter_credential(client, room, "speaker@example.com")
    with connect(client, room, ann) as listener, connect(client, room, speaker) as presenter:
        receive(listener)
        receive(presenter)
        join(client, room, "bob@example.com")
        heard, told = events(listener, 1)[0], events(presenter, 1)[0]
    assert heard["position"] == told["position"]
    assert "email" not in heard["payload"]
    assert told["payload"]["email"] == "bob@example.com"


def test_a_real_room_action_over_the_socket_reaches_every_socket_and_keeps_its_rules(
    client: TestClient,
) -> None:
    """A presenter's audio.mode frame answers as REST does and everyone hears the mode
    change; the same frame from a listener is REST's 403."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    speaker = presenter_credential(client, room, "speaker@example.com")
    with connect(client, room, ann) as listener, connect(client, room, speaker) as presenter:
        receive(listener)
        receive(presenter)
        presenter.send_json({"action": "audio.mode", "ref": 1, "mode": "qa"})
        frames = [receive(presenter)]
        while not any(f["type"] == "answer" for f in frames):
            frames.append(receive(presenter))
        heard: list[dict[str, Any]] = []
        while not any(e["kind"] == "audio.mode_changed" for e in heard):
            heard.extend(receive(listener)["events"])
        listener.send_json({"action": "audio.mode", "ref": 2, "mode": "discussion"})
        while (refused := receive(listener))["type"] == "events":
            pass
    answer = next(f for f in frames if f["type"] == "answer")
    assert (answer["status"], answer["ref"], answer["body"]["mode"]) == (200, 1, "qa")
    changed = next(e for e in heard if e["kind"] == "audio.mode_changed")
    assert changed["payload"]["mode"] == "qa"
    assert (refused["type"], refused["status"], refused["ref"]) == ("error", 403, 2)
