"""Polls and tests in a running room over HTTP: written, opened, answered once per person per
question, closed, results live for presenters and shared with attendees on their word."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from api.routes.live import ACTIONS
from api.routes.live.polls import AnswerFrame
from commands.unit_of_work import Outcome, Result, UnitOfWork
from domain.live.polls import PRESENTERS, PollAnswer
from podium.bootstrap import Podium
from tests.e2e.engagement import Person, attendee, live_room, presenter, room_path
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner

QUIZ: Json = {
    "kind": "test",
    "name": "Capitals",
    "questions": [
        {
            "text": "Capital of France?",
            "kind": "single_choice",
            "choices": [{"text": "Lyon"}, {"text": "Paris", "correct": True}],
            "points": 2,
        },
        {
            "text": "Which are in Poland?",
            "kind": "multiple_choice",
            "choices": [
                {"text": "Warsaw", "correct": True},
                {"text": "Prague"},
                {"text": "Gdansk", "correct": True},
            ],
            "points": 3,
        },
        {"text": "Capital of Italy?", "kind": "short_answer", "accepted_answers": ["Rome"]},
    ],
}
OPINION: Json = {
    "name": "How is the sound?",
    "questions": [
        {
            "text": "Sound?",
            "kind": "single_choice",
            "choices": [{"text": "Good"}, {"text": "Bad"}],
        }
    ],
}


def create(client: TestClient, room: Json, who: Caller | Person, poll: Json) -> Json:
    return expect(client.post(room_path(room, "polls"), json=poll, headers=who.headers), 201)


def act(client: TestClient, room: Json, who: Caller | Person, poll: Json, verb: str) -> Json:
    path = room_path(room, f"polls/{poll['poll_id']}/{verb}")
    return expect(client.post(path, headers=who.headers), 200)


def answer(
    client: TestClient, room: Json, who: Person, poll: Json, question: str, **given: Any
) -> Any:
    path = room_path(room, f"polls/{poll['poll_id']}/answers")
    return client.post(path, json={"question_id": question, **given}, headers=who.headers)


def read(client: TestClient, room: Json, who: Caller | Person, poll: Json, tail: str) -> Any:
    return client.get(room_path(room, f"polls/{poll['poll_id']}/{tail}"), headers=who.headers)


def counts(results: Json, question: str) -> dict[str, int]:
    found: dict[str, int] = next(
        q["choices"] for q in results["questions"] if q["question_id"] == question
    )
    return found


def test_a_test_is_written_opened_answered_and_scored(client: TestClient) -> None:
    """Attendees see the test only once opened, never its key; scores add each right answer's
    points; presenters read live counts and the short answers' texts."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann, bob = attendee(client, room, "ann@example.com"), attendee(client, room, "bob@example.com")
    quiz = create(client, room, owner, QUIZ)
    assert (quiz["status"], [q["id"] for q in quiz["questions"]]) == ("draft", ["q1", "q2", "q3"])
    listed = expect(client.get(room_path(room, "polls"), headers=ann.headers), 200)
    assert listed["polls"] == []
    assert act(client, room, owner, quiz, "open")["status"] == "open"
    [seen] = expect(client.get(room_path(room, "polls"), headers=ann.headers), 200)["polls"]
    assert "answer_key" not in seen
    assert "correct" not in str(seen["questions"])
    expect(answer(client, room, ann, quiz, "q1", choices=["c2"]), 200)
    taken = expect(answer(client, room, ann, quiz, "q2", choices=["c3", "c1"]), 200)
    assert taken == {
        "poll_id": quiz["poll_id"],
        "question_id": "q2",
        "choices": ["c1", "c3"],
        "text": None,
        "replaced": False,
    }
    expect(answer(client, room, ann, quiz, "q3", text="  rome "), 200)
    expect(answer(client, room, bob, quiz, "q1", choices=["c1"]), 200)
    expect(answer(client, room, bob, quiz, "q2", choices=["c1"]), 200)
    expect(answer(client, room, bob, quiz, "q3", text="Milan"), 200)
    results = expect(read(client, room, owner, quiz, "results"), 200)
    assert results["respondents"] == 2
    assert counts(results, "q1") == {"c1": 1, "c2": 1}
    assert counts(results, "q2") == {"c1": 2, "c2": 0, "c3": 1}
    assert sorted(results["questions"][2]["texts"]) == ["Milan", "rome"]
    scored = expect(read(client, room, owner, quiz, "answers"), 200)
    assert scored["max_score"] == 6
    assert {p["email"]: p["score"] for p in scored["people"]} == {
        "ann@example.com": 6,
        "bob@example.com": 0,
    }
    key = expect(read(client, room, owner, quiz, ""), 200)["answer_key"]
    assert key["q1"] == {"correct": ["c2"], "accepted": []}


def test_answering_again_before_the_close_replaces_the_answer(
    client: TestClient, podium: Podium
) -> None:
    """A changed mind moves the one vote; the same answer again writes nothing."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    poll = create(client, room, owner, OPINION)
    act(client, room, owner, poll, "open")
    expect(answer(client, room, ann, poll, "q1", choices=["c1"]), 200)
    again = expect(answer(client, room, ann, poll, "q1", choices=["c2"]), 200)
    assert again["replaced"] is True
    results = expect(read(client, room, owner, poll, "results"), 200)
    assert (results["respondents"], counts(results, "q1")) == (1, {"c1": 0, "c2": 1})
    [person] = expect(read(client, room, owner, poll, "answers"), 200)["people"]
    assert (person["answers"][0]["choices"], person["answers"][0]["changes"]) == (["c2"], 1)
    before = head(podium)
    assert expect(answer(client, room, ann, poll, "q1", choices=["c2"]), 200)["replaced"] is False
    assert head(podium) == before


def test_two_racing_answers_from_one_person_count_once(client: TestClient) -> None:
    """The same person answering twice at the same moment: both are taken, one stands."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    poll = create(client, room, owner, OPINION)
    act(client, room, owner, poll, "open")
    ready = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def race(choice: str) -> None:
        ready.wait()
        try:
            statuses.append(answer(client, room, ann, poll, "q1", choices=[choice]).status_code)
        except BaseException as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=race, args=(c,)) for c in ("c1", "c2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (errors, statuses) == ([], [200, 200])
    results = expect(read(client, room, owner, poll, "results"), 200)
    assert results["respondents"] == 1
    assert sum(counts(results, "q1").values()) == 1
    [person] = expect(read(client, room, owner, poll, "answers"), 200)["people"]
    assert len(person["answers"]) == 1


def test_bad_answers_are_refused_and_write_nothing(client: TestClient, podium: Podium) -> None:
    """Unknown question or choice, two choices for a single choice, a text for choices, a
    draft or closed poll: each a 4xx that says why, with nothing appended."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    quiz = create(client, room, owner, QUIZ)
    before = head(podium)
    assert (
        "not open" in problem(answer(client, room, ann, quiz, "q1", choices=["c1"]), 409)["detail"]
    )
    assert head(podium) == before
    act(client, room, owner, quiz, "open")
    before = head(podium)
    refusals: list[tuple[Json, int, str]] = [
        ({"question": "q9", "choices": ["c1"]}, 422, "no question 'q9'"),
        ({"question": "q1", "choices": ["c7"]}, 422, "no choice 'c7'"),
        ({"question": "q1", "choices": ["c1", "c2"]}, 422, "one choice only"),
        ({"question": "q1", "text": "Paris"}, 422, "takes choices"),
        ({"question": "q3", "choices": ["c1"]}, 422, "takes a text"),
        ({"question": "q2", "choices": []}, 422, "needs a choice"),
    ]
    for given, status, why in refusals:
        question = given.pop("question")
        detail = problem(answer(client, room, ann, quiz, str(question), **given), status)["detail"]
        assert why in detail
    assert head(podium) == before
    expect(answer(client, room, ann, quiz, "q1", choices=["c1"]), 200)
    act(client, room, owner, quiz, "close")
    before = head(podium)
    closed = problem(answer(client, room, ann, quiz, "q1", choices=["c2"]), 409)
    assert "closed" in closed["detail"]
    assert head(podium) == before
    assert counts(expect(read(client, room, owner, quiz, "results"), 200), "q1")["c1"] == 1


def test_only_presenters_run_polls_and_attendees_see_results_when_shared(
    client: TestClient,
) -> None:
    """An attendee may not write, open or read each person's answers; results reach them once
    a presenter (by their own credential) shares them, without the short answers' texts."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    speaker = presenter(client, room, "speaker@example.com")
    refused = client.post(room_path(room, "polls"), json=OPINION, headers=ann.headers)
    assert "only a host or presenter" in problem(refused, 403)["detail"]
    poll = create(client, room, speaker, QUIZ)
    open_path = room_path(room, f"polls/{poll['poll_id']}/open")
    problem(client.post(open_path, headers=ann.headers), 403)
    act(client, room, speaker, poll, "open")
    expect(answer(client, room, ann, poll, "q3", text="Rome"), 200)
    problem(read(client, room, ann, poll, "answers"), 403)
    assert "not shared" in problem(read(client, room, ann, poll, "results"), 403)["detail"]
    sharing = room_path(room, f"polls/{poll['poll_id']}/sharing")
    shared = client.post(sharing, json={"shared": True}, headers=speaker.headers)
    assert expect(shared, 200)["results_shared"] is True
    results = expect(read(client, room, ann, poll, "results"), 200)
    assert results["questions"][2] == {
        "question_id": "q3",
        "kind": "short_answer",
        "answered": 1,
        "choices": {},
    }


def test_a_test_needs_right_answers_and_a_poll_has_none(client: TestClient) -> None:
    """Badly written polls are 422s naming the question, and nothing is created."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    single: Json = QUIZ["questions"][0]
    wrong = [
        ({**QUIZ, "questions": [{**single, "choices": [{"text": "A"}, {"text": "B"}]}]}, "one"),
        ({**OPINION, "questions": [single]}, "a poll has no correct answers"),
        ({**OPINION, "questions": [{**single, "choices": [{"text": "A"}]}]}, "2 to 20 choices"),
        ({**QUIZ, "questions": [{"text": "Why?", "kind": "short_answer"}]}, "accepted answer"),
    ]
    for body, why in wrong:
        response = client.post(room_path(room, "polls"), json=body, headers=owner.headers)
        assert why in problem(response, 422)["detail"]
    listed = expect(client.get(room_path(room, "polls"), headers=owner.headers), 200)
    assert listed["polls"] == []


def test_poll_answer_over_the_socket_action_follows_the_same_rules(
    client: TestClient, podium: Podium
) -> None:
    """``poll.answer`` in the action table answers as REST does, refusals included."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    poll = create(client, room, owner, OPINION)
    act(client, room, owner, poll, "open")
    action = ACTIONS["poll.answer"]
    frame = action.body.model_validate(
        {"poll_id": poll["poll_id"], "question_id": "q1", "choices": ["c2"]}
    )
    assert isinstance(frame, AnswerFrame)
    taken = action.run(podium, ann.credential, UUID(room["room_id"]), frame)
    assert (taken.outcome, taken.body["choices"]) == (Outcome.DONE, ["c2"])
    podium.projector.catch_up()
    assert counts(expect(read(client, room, owner, poll, "results"), 200), "q1")["c2"] == 1


def test_an_answer_the_log_puts_after_the_close_is_not_counted(
    client: TestClient, podium: Podium
) -> None:
    """An answer that raced the close and landed after it in the log stays out of results."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    poll = create(client, room, owner, OPINION)
    act(client, room, owner, poll, "open")
    act(client, room, owner, poll, "close")

    def late(unit: UnitOfWork) -> Result:
        # What a racing answer's save does: its check saw the poll open, the close won first.
        unit.add(
            PollAnswer(
                UUID(room["room_id"]),
                1,
                UUID(poll["poll_id"]),
                "q1",
                ann.email,
                "Ann",
                ["c1"],
                None,
                0,
                unit.now,
                PRESENTERS,
            )
        )
        return Result(Outcome.DONE, {})

    podium.runner.run(late)
    podium.projector.catch_up()
    results = expect(read(client, room, owner, poll, "results"), 200)
    assert (results["respondents"], counts(results, "q1")) == (0, {"c1": 0, "c2": 0})


def test_the_room_feed_never_carries_a_tests_key_or_answers_to_everyone(
    client: TestClient, podium: Podium
) -> None:
    """The key and each answer are presenters-only streams in the room feed; the poll itself
    reaches everyone, with no correct answers in it."""
    owner = trial_owner(client, "owner@example.com")
    room = live_room(client, owner)
    ann = attendee(client, room, "ann@example.com")
    quiz = create(client, room, owner, QUIZ)
    act(client, room, owner, quiz, "open")
    expect(answer(client, room, ann, quiz, "q1", choices=["c2"]), 200)
    podium.projector.catch_up()
    rows = podium.views.room_feed.between([room["room_id"]], 0, head(podium))
    for_all = [r for r in rows if r["audience"] != PRESENTERS]
    presenters_only = {r["kind"] for r in rows if r["audience"] == PRESENTERS}
    assert {"poll.written", "poll.opened"} <= {r["kind"] for r in for_all}
    assert "correct" not in str(for_all)
    assert "accepted" not in str(for_all)
    assert presenters_only == {"answer_key.set", "poll_answer.answered"}
