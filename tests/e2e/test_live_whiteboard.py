"""The whiteboard of a running session over HTTP: presenters draw, attendees only while
collaborate is on, a clear wipes it, and a late joiner sees exactly what is there now."""

from __future__ import annotations

from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.routes.live import ACTIONS
from commands.errors import PermissionDeniedError
from commands.unit_of_work import Outcome, Result, UnitOfWork
from domain.live.whiteboard import Mark, Whiteboard
from podium.bootstrap import Podium
from tests.e2e.engagement import Person, attendee, live_room, room_path
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner

LINE: Json = {"points": [[10, 10], [200, 120]], "colour": "#ff0000", "width": 3}


def stroke(client: TestClient, room: Json, who: Caller | Person, body: Json = LINE) -> Response:
    response: Response = client.post(
        room_path(room, "whiteboard/strokes"), json=body, headers=who.headers
    )
    return response


def collaborate(client: TestClient, room: Json, who: Caller | Person, on: bool) -> Json:
    path = room_path(room, "whiteboard/collaborate")
    return expect(client.put(path, json={"on": on}, headers=who.headers), 200)


def board(client: TestClient, room: Json, who: Caller | Person) -> Json:
    return expect(client.get(room_path(room, "whiteboard"), headers=who.headers), 200)


def test_attendees_draw_only_while_collaborate_is_on(client: TestClient, podium: Podium) -> None:
    """Off by default: an attendee's stroke is a 403 that says why and writes nothing; the
    host draws anyway; on, the attendee draws; off again, refused again."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    before = head(podium)
    refused = problem(stroke(client, room, ann), 403)
    assert "collaborate is off" in refused["detail"]
    assert head(podium) == before
    expect(stroke(client, room, owner), 200)
    assert collaborate(client, room, owner, True)["collaborate"] is True
    drawn = expect(stroke(client, room, ann), 200)
    assert (drawn["kind"], drawn["points"]) == ("stroke", [[10.0, 10.0], [200.0, 120.0]])
    collaborate(client, room, owner, False)
    problem(stroke(client, room, ann), 403)
    seen = board(client, room, ann)
    assert [m["nickname"] for m in seen["marks"]] == ["owner@example.com", "Ann"]
    assert "email" not in seen["marks"][0]
    assert (
        "only a host or presenter"
        in problem(
            client.put(
                room_path(room, "whiteboard/collaborate"), json={"on": True}, headers=ann.headers
            ),
            403,
        )["detail"]
    )


def test_a_late_joiner_sees_only_what_is_drawn_after_the_last_clear(client: TestClient) -> None:
    """Two strokes, a clear, a note: whoever joins then sees the note alone."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    expect(stroke(client, room, owner), 200)
    expect(stroke(client, room, owner), 200)
    cleared = expect(client.post(room_path(room, "whiteboard/clear"), headers=owner.headers), 200)
    assert cleared["generation"] == 1
    note = {"at": [50, 60], "text": "Questions at the end"}
    expect(client.post(room_path(room, "whiteboard/notes"), json=note, headers=owner.headers), 200)
    late = attendee(client, room, "late@example.com")
    seen = board(client, room, late)
    assert seen["generation"] == 1
    assert [(m["kind"], m.get("text"), m["points"]) for m in seen["marks"]] == [
        ("note", "Questions at the end", [[50.0, 60.0]])
    ]


def test_drawing_writes_its_own_stream_never_the_boards(client: TestClient, podium: Podium) -> None:
    """Ten attendees drawing write ten new streams; the board's stream stays as it was."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    collaborate(client, room, owner, True)
    board_id = Whiteboard.id_for(UUID(room["room_id"]), 1)
    version = podium.store.load(board_id).version
    people = [attendee(client, room, f"p{n}@example.com") for n in range(10)]
    marks = {expect(stroke(client, room, p), 200)["mark_id"] for p in people}
    assert len(marks) == 10
    assert podium.store.load(board_id).version == version
    assert len(board(client, room, owner)["marks"]) == 10


def test_bad_marks_are_refused_and_write_nothing(client: TestClient, podium: Podium) -> None:
    """One point, a bad colour, coordinates off the board, an empty note: 422s naming it."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    before = head(podium)
    for body, field in (
        ({"points": [[1, 1]]}, "points"),
        ({**LINE, "colour": "red"}, "colour"),
        ({**LINE, "points": [[1, 1], [20_000, 5]]}, "x"),
        ({**LINE, "width": 0}, "width"),
    ):
        assert field in problem(stroke(client, room, owner, body), 422)["detail"]
    empty = client.post(
        room_path(room, "whiteboard/notes"), json={"at": [1, 1], "text": " "}, headers=owner.headers
    )
    assert "note" in problem(empty, 422)["detail"]
    assert head(podium) == before


def test_marks_that_lost_a_race_in_the_log_are_not_shown(
    client: TestClient, podium: Podium
) -> None:
    """A stroke written for the board before a clear, or an attendee's after collaborate was
    turned off, that the log puts after them, is left off the board."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    room_id = UUID(room["room_id"])
    collaborate(client, room, owner, True)
    expect(client.post(room_path(room, "whiteboard/clear"), headers=owner.headers), 200)
    collaborate(client, room, owner, False)
    shape = {"points": [[1.0, 1.0], [2.0, 2.0]], "colour": "#000000", "width": 1}

    def late(unit: UnitOfWork) -> Result:
        # What racing strokes' saves do: their checks saw the board before the clear / switch.
        unit.add(Mark(room_id, 1, 0, "stroke", shape, "o@example.com", "O", True, unit.now))
        unit.add(Mark(room_id, 1, 1, "stroke", shape, "a@example.com", "A", False, unit.now))
        return Result(Outcome.DONE, {})

    podium.runner.run(late)
    podium.projector.catch_up()
    assert board(client, room, owner)["marks"] == []


def test_a_stroke_over_the_socket_follows_the_same_rules(
    client: TestClient, podium: Podium
) -> None:
    """``whiteboard.stroke`` in the action table refuses an attendee while collaborate is off."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    action = ACTIONS["whiteboard.stroke"]
    frame = action.body.model_validate(LINE)
    before = head(podium)
    with pytest.raises(PermissionDeniedError, match="collaborate is off"):
        action.run(podium, ann.credential, UUID(room["room_id"]), frame)
    assert head(podium) == before
    collaborate(client, room, owner, True)
    assert action.run(podium, ann.credential, UUID(room["room_id"]), frame).outcome == Outcome.DONE
