"""Q&A in a live session over HTTP: attendees ask, presenters answer or dismiss, the list is
live; the dial-in's ``podium.questions.ask`` asks the same way."""

from __future__ import annotations

from uuid import UUID

from fastapi.testclient import TestClient
from httpx import Response

from commands.unit_of_work import Outcome
from podium.bootstrap import Podium
from tests.e2e.helpers import Caller, Json, expect, head, problem
from tests.e2e.live_room import LiveRoom, Person, listener, live_room, presenter


def ask(client: TestClient, live: LiveRoom, who: Person | Caller, text: str) -> Response:
    response: Response = client.post(
        f"{live.path}/questions", json={"text": text}, headers=who.headers
    )
    return response


def answer(
    client: TestClient, live: LiveRoom, who: Person | Caller, question: Json, text: str
) -> Response:
    path = f"{live.path}/questions/{question['question_id']}/answer"
    response: Response = client.post(path, json={"text": text}, headers=who.headers)
    return response


def dismiss(client: TestClient, live: LiveRoom, who: Person | Caller, question: Json) -> Response:
    path = f"{live.path}/questions/{question['question_id']}/dismiss"
    response: Response = client.post(path, headers=who.headers)
    return response


def listed(client: TestClient, live: LiveRoom, headers: dict[str, str]) -> list[Json]:
    body = expect(client.get(f"{live.path}/questions", headers=headers), 200)
    questions: list[Json] = body["questions"]
    return questions


def test_asked_questions_are_listed_in_order_and_answered(client: TestClient) -> None:
    """Two questions are listed in the order asked; a presenter's answer shows at once in
    everyone's list, with its text; presenters see who asked."""
    live = live_room(client)
    ann, bob = listener(client, live, "ann@example.com"), listener(client, live, "bob@example.com")
    pat = presenter(client, live, "pat@example.com")
    first = expect(ask(client, live, ann, " Will the recording be shared? "), 201)
    assert (first["text"], first["status"], first["answer"]) == (
        "Will the recording be shared?",
        "open",
        None,
    )
    expect(ask(client, live, bob, "Is there a trial?"), 201)
    answered = expect(answer(client, live, pat, first, "Yes, tomorrow."), 200)
    assert (answered["status"], answered["answer"]) == ("answered", "Yes, tomorrow.")
    seen = listed(client, live, bob.headers)
    assert [(q["text"], q["status"], q["answer"]) for q in seen] == [
        ("Will the recording be shared?", "answered", "Yes, tomorrow."),
        ("Is there a trial?", "open", None),
    ]
    assert "email" not in seen[0]
    hosted = listed(client, live, live.owner.headers)
    assert [(q["email"], q["closed_by"]) for q in hosted] == [
        ("ann@example.com", "presenter:pat@example.com"),
        ("bob@example.com", None),
    ]


def test_a_dismissed_question_leaves_the_attendees_list(client: TestClient) -> None:
    """Dismissed, a question is gone for attendees and marked for presenters; it can no
    longer be answered (409), and the host dismissing it again changes nothing."""
    live = live_room(client)
    ann, pat = listener(client, live, "ann@example.com"), presenter(client, live, "pat@example.com")
    question = expect(ask(client, live, ann, "Buy my product?"), 201)
    assert expect(dismiss(client, live, pat, question), 200)["status"] == "dismissed"
    assert listed(client, live, ann.headers) == []
    assert [q["status"] for q in listed(client, live, pat.headers)] == ["dismissed"]
    assert "dismissed already" in problem(answer(client, live, pat, question, "no"), 409)["detail"]
    expect(dismiss(client, live, live.owner, question), 200)


def test_answering_twice_the_same_appends_nothing(client: TestClient, podium: Podium) -> None:
    """The same answer again is a no-op; another answer to an answered question is a 409."""
    live = live_room(client)
    ann, pat = listener(client, live, "ann@example.com"), presenter(client, live, "pat@example.com")
    question = expect(ask(client, live, ann, "When?"), 201)
    expect(answer(client, live, pat, question, "Now"), 200)
    before = head(podium)
    expect(answer(client, live, pat, question, "Now"), 200)
    assert head(podium) == before
    problem(answer(client, live, pat, question, "Later"), 409)


def test_only_presenters_answer_or_dismiss(client: TestClient, podium: Podium) -> None:
    """A listener answering or dismissing gets 403 naming what; an unknown question is 404."""
    live = live_room(client)
    ann, bob = listener(client, live, "ann@example.com"), listener(client, live, "bob@example.com")
    question = expect(ask(client, live, ann, "Why?"), 201)
    before = head(podium)
    assert "answer questions" in problem(answer(client, live, bob, question, "x"), 403)["detail"]
    assert "dismiss questions" in problem(dismiss(client, live, bob, question), 403)["detail"]
    assert head(podium) == before
    pat = presenter(client, live, "pat@example.com")
    unknown = {"question_id": "00000000-0000-4000-8000-000000000000"}
    problem(answer(client, live, pat, unknown, "x"), 404)


def test_a_question_too_long_or_empty_is_refused(client: TestClient, podium: Podium) -> None:
    """Over 1,000 characters, or only spaces, is a 422 and nothing is written."""
    live = live_room(client)
    ann = listener(client, live, "ann@example.com")
    before = head(podium)
    assert problem(ask(client, live, ann, "q" * 1001), 422)["errors"][0]["field"] == "text"
    problem(ask(client, live, ann, "   "), 422)
    assert head(podium) == before
    expect(ask(client, live, ann, "q" * 1000), 201)


def test_the_dial_in_asks_through_the_same_command(client: TestClient, podium: Podium) -> None:
    """``podium.questions.ask(caller, room_id, text)`` (dial pad 5) lists the question as if
    asked in the room."""
    live = live_room(client)
    phone = listener(client, live, "phone@example.com")
    result = podium.questions.ask(phone.credential, UUID(live.room["room_id"]), "From my phone")
    assert result.outcome == Outcome.CREATED
    podium.projector.catch_up()
    assert [q["text"] for q in listed(client, live, phone.headers)] == ["From my phone"]


def test_no_question_before_the_start(client: TestClient, podium: Podium) -> None:
    """In the lobby a question is refused with 409 and nothing is written."""
    live = live_room(client, started=False)
    ann = listener(client, live, "ann@example.com")
    before = head(podium)
    assert "not started" in problem(ask(client, live, ann, "Hello?"), 409)["detail"]
    assert head(podium) == before
