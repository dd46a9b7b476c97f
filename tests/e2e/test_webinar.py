"""A whole webinar, end to end over HTTP and the room WebSocket, on both stores (issue 8's
"done when"): lobby, start, audio mode, chat, Q&A, a hand, a poll, a call to action, the
whiteboard, recording, the end for all with its thank-you mail, and a second session of the
permanent room with every seat free again. Each concern's own rules are tested beside it;
this test proves they run together and that a room client hears all of it, in order."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from podium.bootstrap import Podium
from tests.e2e.helpers import Json, expect, problem, trial_owner
from tests.e2e.live_socket import connect, credential, presenter_credential, receive
from tests.e2e.rooms import join, schedule

SEATS = 3
POLL: Json = {
    "name": "How is the sound?",
    "questions": [
        {"text": "Sound?", "kind": "single_choice", "choices": [{"text": "Good"}, {"text": "Bad"}]}
    ],
}
CTA = {"description": "Try Pro", "button_text": "Buy", "url": "https://example.com", "minutes": 2}


def heard_until(socket: WebSocketTestSession, kind: str) -> list[Json]:
    """Every room event the socket gets up to and including the first of ``kind``."""
    got: list[Json] = []
    while not any(event["kind"] == kind for event in got):
        frame = receive(socket)
        if frame["type"] == "events":
            got.extend(frame["events"])
    return got


def ok(response: Any) -> Json:
    assert response.status_code in (200, 201), response.text
    body: Json = response.json()
    return body


def test_a_webinar_runs_from_lobby_to_thank_you_and_the_room_runs_again(
    client: TestClient, podium: Podium
) -> None:
    """Everything an attendee's socket hears arrives in log order, with nothing missing."""
    owner = trial_owner(client, "host@example.com")
    room = schedule(client, owner, permanent=True, starts_at=None, attendee_limit=SEATS)
    path, host = f"/rooms/{room['room_id']}", owner.headers
    ok(client.patch(path, json={"thank_you_page_url": "https://example.com/thanks"}, headers=host))

    speaker = {"Podium-Attendance": presenter_credential(client, room, "speaker@example.com")}
    ann_credential = credential(client, room, "ann@example.com")
    ann = {"Podium-Attendance": ann_credential}
    assert ok(client.get(f"{path}/me", headers=ann))["where"] == "lobby"
    assert ok(client.get(f"{path}/me", headers=speaker))["where"] == "room"

    with connect(client, room, ann_credential) as socket:
        snapshot = receive(socket)
        assert snapshot["type"] == "snapshot"
        ok(client.post(f"{path}/sessions", headers=speaker))
        heard = heard_until(socket, "live_session.started")
        assert ok(client.get(f"{path}/me", headers=ann))["where"] == "room"

        ok(client.post(f"{path}/audio/mode", json={"mode": "qa"}, headers=speaker))
        socket.send_json({"action": "chat.send", "ref": 1, "text": "Hello from Ann"})
        ok(client.post(f"{path}/questions", json={"text": "Slides later?"}, headers=ann))
        ok(client.post(f"{path}/hand", headers=ann))
        poll = ok(client.post(f"{path}/polls", json=POLL, headers=speaker))
        ok(client.post(f"{path}/polls/{poll['poll_id']}/open", headers=speaker))
        answer = {"question_id": "q1", "choices": ["c1"]}
        ok(client.post(f"{path}/polls/{poll['poll_id']}/answers", json=answer, headers=ann))
        ok(client.post(f"{path}/polls/{poll['poll_id']}/close", headers=speaker))
        ok(client.post(f"{path}/ctas", json=CTA, headers=speaker))
        ok(client.put(f"{path}/whiteboard/collaborate", json={"on": True}, headers=speaker))
        ok(client.post(f"{path}/recording/start", headers=speaker))
        ok(client.post(f"{path}/recording/stop", headers=speaker))
        ok(client.post(f"{path}/sessions/current/end", headers=speaker))
        heard += heard_until(socket, "live_session.ended")

    kinds = [event["kind"] for event in heard]
    for expected in (
        "audio.mode_changed",
        "chat_message.sent",
        "question.asked",
        "poll.opened",
        "poll.closed",
        "live_session.ended",
    ):
        assert expected in kinds, (expected, kinds)
    positions = [event["position"] for event in heard]
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)
    ended = next(event for event in heard if event["kind"] == "live_session.ended")
    assert ended["payload"]["thank_you_page_url"] == "https://example.com/thanks"
    leaks = [e for e in heard if "speaker@example.com" in str(e)]
    assert not leaks  # emails reach presenters only

    podium.policies.catch_up()
    podium.projector.catch_up()
    for email in ("ann@example.com", "speaker@example.com"):
        assert "thank_you" in [row["purpose"] for row in podium.views.outbox.to(email)], email

    # The permanent room's second session: every seat free again, the first session's
    # people included.
    ok(client.post(f"{path}/sessions", headers=host))
    emails = [f"p{n}@example.com" for n in range(SEATS - 1)] + ["ann@example.com"]
    seats = [expect(join(client, room, email), 200) for email in emails]
    assert {admission["session"] for admission in seats} == {2}
    assert "full" in problem(join(client, room, "late@example.com"), 409)["detail"]
