"""The edge refuses what it cannot hold and answers what it did not expect: every request the
outside testers broke Podium with is a clear 4xx now, an unexpected exception is a 500 in the
API's own error shape with a request id that is also in the log, and a 405 says what is allowed.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.e2e.helpers import PROBLEM, Caller, expect, problem, trial_owner
from tests.v1.helpers import FORM, error

HUGE = "9" * 23
DIGITS_5000 = "9" * 5000


def _raise(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("the read model fell over")


@pytest.fixture
def owner(client: TestClient) -> Caller:
    return trial_owner(client, "edge@example.com")


@pytest.mark.parametrize(
    "path",
    [
        f"/events/{HUGE}",
        f"/events/-{HUGE}",
        f"/events/{DIGITS_5000}",
        f"/account/transactions?before={HUGE}",
        f"/timeline?before={HUGE}",
        f"/timeline?before={DIGITS_5000}",
        "/timeline?limit=-1",
    ],
)
def test_integers_past_bigint_are_refused_at_the_edge(
    client: TestClient, owner: Caller, path: str
) -> None:
    """A path or query integer SQLite and PostgreSQL could not hold is a 404 or 422 problem."""
    response = client.get(path, headers=owner.headers)
    assert response.status_code in (404, 422), response.text
    problem(response, response.status_code)


V1_CREATE = "name=Edge&room_type=meeting&permanent_room=0&access_type=1"


@pytest.mark.parametrize(
    ("method", "path", "content", "content_type", "status"),
    [
        ("GET", f"/v1/conferences/{HUGE}", None, None, 404),
        ("GET", f"/v1/conferences/{DIGITS_5000}", None, None, 404),
        ("POST", "/v1/conferences", V1_CREATE + "&duration=%C2%B2", FORM, 422),
        ("POST", "/v1/conferences", V1_CREATE + "&duration=" + DIGITS_5000, FORM, 422),
        ("POST", "/v1/conferences", V1_CREATE + "&access_type=" + DIGITS_5000, FORM, 422),
        ("GET", "/v1/conferences/active?page=" + DIGITS_5000, None, None, 422),
        ("GET", f"/v1/conferences/inactive?page={HUGE}", None, None, 422),
        ("POST", "/v1/conferences", '{"name": "x\\ud800", "room_type": "meeting"}', "json", 400),
        ("POST", "/v1/conferences", '{"name": {"\\udfff": 1}}', "json", 400),
        ("POST", "/v1/conferences", "[" * 100_000 + "]" * 100_000, "json", 400),
        ("POST", "/v1/conferences", '{"a":' * 50 + "1" + "}" * 50, "json", 400),
    ],
)
def test_v1_refuses_what_it_cannot_hold_in_clickmeetings_shape(
    client: TestClient,
    owner: Caller,
    method: str,
    path: str,
    content: str | None,
    content_type: str | None,
    status: int,
) -> None:
    """/v1 answers oversized numbers, odd digits, lone surrogates and deep JSON with a 4xx."""
    headers = dict(owner.headers)
    if content_type is not None:
        headers["Content-Type"] = "application/json" if content_type == "json" else content_type
    response = client.request(method, path, content=content, headers=headers)
    error(response, status)


def test_a_registration_answer_keyed_by_an_odd_digit_is_refused(
    client: TestClient, owner: Caller
) -> None:
    """``registration[²]`` names no field of the form: 422 naming it, not a crash."""
    form = V1_CREATE + "&registration%5Benabled%5D=1"
    room = expect(
        client.post(
            "/v1/conferences", content=form, headers={**owner.headers, "Content-Type": FORM}
        ),
        201,
    )["room"]
    body = "registration%5B1%5D=A&registration%5B2%5D=B&registration%5B3%5D=a%40example.com"
    response = client.post(
        f"/v1/conferences/{room['id']}/registration",
        content=body + "&registration%5B%C2%B2%5D=x",
        headers={**owner.headers, "Content-Type": FORM},
    )
    assert "registration[²]" in error(response, 422)["errors"][0]["name"]


def test_an_unexpected_panel_error_is_a_problem_naming_the_request(
    client: TestClient,
    podium: Podium,
    owner: Caller,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 500 is problem+json; its request id is in the header, the body and the logged traceback."""
    monkeypatch.setattr(podium.views.timeline, "timeline", _raise)
    with caplog.at_level(logging.ERROR, logger="podium.requests"):
        response = client.get("/timeline", headers=owner.headers)
    body = problem(response, 500)
    request_id = response.headers["x-request-id"]
    assert body["request_id"] == request_id
    assert request_id in body["detail"]
    assert "fell over" not in response.text  # the cause stays in the log
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None
    assert "fell over" in str(logged[0].exc_info[1])


def test_an_unexpected_v1_error_is_clickmeetings_500_naming_the_request(
    client: TestClient,
    podium: Podium,
    owner: Caller,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """/v1's 500 has ClickMeeting's body, quoting the request id that the header and log carry."""
    monkeypatch.setattr(podium.views.rooms, "rooms", _raise)
    with caplog.at_level(logging.ERROR, logger="podium.requests"):
        response = client.get("/v1/conferences/active", headers=owner.headers)
    found = error(response, 500)
    request_id = response.headers["x-request-id"]
    assert request_id in found["errors"][0]["message"]
    assert response.headers["x-request-id"].count(",") == 0  # one id, not one per app
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None


def test_every_answer_names_its_request(client: TestClient, owner: Caller) -> None:
    """A sane incoming X-Request-Id is kept; a missing or unsafe one is replaced by a new id."""
    kept = client.get("/account", headers={**owner.headers, "X-Request-Id": "edge-42.a"})
    assert kept.headers["x-request-id"] == "edge-42.a"
    first, second = client.get("/plans"), client.get("/plans")
    assert first.headers["x-request-id"] != second.headers["x-request-id"]
    forged = client.get("/plans", headers={"X-Request-Id": "x" * 500})
    assert forged.headers["x-request-id"] != "x" * 500
    assert len(forged.headers["x-request-id"]) == 32
    # Answers the outer middleware gives itself (a key checked before the body) are named too.
    early = client.post("/account/funds", content=b"{}", headers={"X-Request-Id": "early-1"})
    assert early.status_code == 401
    assert early.headers["x-request-id"] == "early-1"
    refused = client.get("/v1/ping", headers={"X-Request-Id": "v1-edge"})
    assert refused.status_code == 401
    assert refused.headers["x-request-id"] == "v1-edge"


def test_a_wrong_method_is_405_with_every_allowed_method(client: TestClient, owner: Caller) -> None:
    """405 carries Allow listing every method the path takes, on the panel and on /v1."""
    response = client.delete("/account", headers=owner.headers)
    problem(response, 405)
    assert response.headers["allow"] == "GET"
    room = "00000000-0000-4000-8000-000000000000"
    response = client.put(f"/rooms/{room}", headers=owner.headers)
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "PATCH", "DELETE"}
    response = client.post("/v1/conferences/7", headers=owner.headers)
    error(response, 405)
    assert set(response.headers["allow"].split(", ")) == {"GET", "PUT", "DELETE"}


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/contacts", {"email": "ann@example.com", "first_name": "A\x00nn"}, "first_name"),
        ("/contact-groups", {"name": "V\x1bIP"}, "name"),
        ("/api-keys", {"label": "crm\x7f"}, "label"),
        ("/rooms", {"name": "Q\x00", "permanent": True}, "name"),
        ("/rooms", {"name": "Q", "permanent": True, "agenda": "line\x0bbreak"}, "agenda"),
    ],
)
def test_control_characters_are_refused_in_any_text(
    client: TestClient, owner: Caller, path: str, body: dict[str, Any], field: str
) -> None:
    """A NUL or other control character in a body's text is a 422 naming the field, so no read
    model (PostgreSQL cannot store NUL) and no XML answer ever meets one; the rest works on."""
    refused = problem(client.post(path, json=body, headers=owner.headers), 422)
    assert field in refused["detail"]
    assert "control characters" in refused["detail"]
    fine = {"email": "ann@example.com", "first_name": "Ann", "company": "Tab\tand\nnewline"}
    expect(client.post("/contacts", json=fine, headers=owner.headers), 201)
    assert [
        c["email"] for c in expect(client.get("/contacts", headers=owner.headers), 200)["contacts"]
    ] == ["ann@example.com"]


@pytest.mark.parametrize(
    "form",
    [
        V1_CREATE.replace("name=Edge", "name=Ed%00ge"),
        V1_CREATE + "&lobby_description=%01",
    ],
)
def test_v1_refuses_control_characters(client: TestClient, owner: Caller, form: str) -> None:
    """/v1 answers a control character in a parameter with 422 in ClickMeeting's shape."""
    headers = {**owner.headers, "Content-Type": FORM}
    found = error(client.post("/v1/conferences", content=form, headers=headers), 422)
    assert "control characters" in found["errors"][0]["message"]
    created = client.post("/v1/conferences", content=V1_CREATE, headers=headers)
    expect(created, 201)
