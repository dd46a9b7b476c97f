"""The polls, whiteboard, stage and camera read models are derived: rebuilt from the log, they
answer every GET as the live ones did."""

from __future__ import annotations

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.engagement import attendee, live_room, presenter, room_path
from tests.e2e.helpers import Json, expect, trial_owner
from tests.e2e.test_live_polls import QUIZ


def test_rebuilt_engagement_read_models_answer_as_the_live_ones(
    client: TestClient, podium: Podium
) -> None:
    """After a test answered and re-answered, a board drawn and cleared, a stage and cameras
    changed, a rebuild answers the same to a presenter and to an attendee."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    speaker = presenter(client, room, "speaker@example.com")

    def post(path: str, body: Json | None = None, headers: dict[str, str] = owner.headers) -> Json:
        return expect(client.post(room_path(room, path), json=body, headers=headers), 200)

    def put(path: str, body: Json, headers: dict[str, str] = owner.headers) -> Json:
        return expect(client.put(room_path(room, path), json=body, headers=headers), 200)

    quiz = expect(client.post(room_path(room, "polls"), json=QUIZ, headers=owner.headers), 201)
    poll = f"polls/{quiz['poll_id']}"
    post(f"{poll}/open")
    post(f"{poll}/answers", {"question_id": "q1", "choices": ["c1"]}, ann.headers)
    post(f"{poll}/answers", {"question_id": "q1", "choices": ["c2"]}, ann.headers)
    post(f"{poll}/answers", {"question_id": "q3", "text": "Rome"}, speaker.headers)
    post(f"{poll}/close")
    post(f"{poll}/sharing", {"shared": True})
    line = {"points": [[1, 1], [9, 9]]}
    post("whiteboard/strokes", line)
    post("whiteboard/clear")
    put("whiteboard/collaborate", {"on": True})
    post("whiteboard/strokes", line, ann.headers)
    post("whiteboard/notes", {"at": [3, 4], "text": "hi"}, speaker.headers)
    put("stage/presentation", {"file_id": "f", "name": "a.pdf", "page": 2}, speaker.headers)
    put("stage/video", {"video_id": "dQw4w9WgXcQ", "position": 12, "playing": False})
    put("camera", {"on": True}, speaker.headers)
    put("camera", {"on": False})
    reads = [
        "polls",
        poll,
        f"{poll}/results",
        f"{poll}/answers",
        "whiteboard",
        "stage",
        "cameras",
    ]

    def answers() -> list[object]:
        seen: list[object] = [
            expect(client.get(room_path(room, path), headers=owner.headers), 200) for path in reads
        ]
        for path in (r for r in reads if not r.endswith("/answers")):
            seen.append(expect(client.get(room_path(room, path), headers=ann.headers), 200))
        return seen

    live = answers()
    podium.projector.rebuild()
    assert answers() == live
