"""Recording control over the room's WebSocket: REC as a frame with REST's rules, every socket
hears it, and the snapshot shows it (decisions 0020, 0021)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.e2e.helpers import trial_owner
from tests.e2e.live_socket import (
    connect,
    credential,
    presenter_credential,
    receive,
    room_with_session,
)


def test_rec_over_the_socket_reaches_every_socket_and_a_listeners_is_refused(
    client: TestClient,
) -> None:
    """A presenter's recording.start frame answers as REST does, the listener hears
    ``recorder.started`` without the presenter's email, and the listener's own frame is a 403
    error frame; a socket connecting afterwards sees the recording in its snapshot."""
    owner = trial_owner(client, "owner@example.com")
    room = room_with_session(client, owner)
    ann = credential(client, room, "ann@example.com")
    speaker = presenter_credential(client, room, "speaker@example.com")
    with connect(client, room, ann) as listener, connect(client, room, speaker) as presenter:
        assert receive(listener)["state"]["recording"]["on"] is False
        receive(presenter)
        presenter.send_json({"action": "recording.start", "ref": 1})
        frames = [receive(presenter)]
        while not any(f["type"] == "answer" for f in frames):
            frames.append(receive(presenter))
        heard: list[dict[str, Any]] = []
        while not any(e["kind"] == "recorder.started" for e in heard):
            heard.extend(receive(listener)["events"])
        listener.send_json({"action": "recording.stop", "ref": 2})
        while (refused := receive(listener))["type"] == "events":
            pass
    answer = next(f for f in frames if f["type"] == "answer")
    assert (answer["status"], answer["ref"], answer["body"]["recording"]) == (200, 1, True)
    started = next(e for e in heard if e["kind"] == "recorder.started")
    assert (started["payload"]["number"], started["payload"]["language"]) == (1, "en")
    assert "email" not in started["payload"]
    assert (refused["type"], refused["status"], refused["ref"]) == ("error", 403, 2)
    with connect(client, room, ann) as late:
        state = receive(late)["state"]
    assert state["recording"]["on"] is True
    assert state["language"] == "en"
    assert "started_by" not in state["recording"]["recordings"][0]
