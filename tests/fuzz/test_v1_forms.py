"""/v1's parameters fuzzed the way ClickMeeting clients send them: form bodies, JSON bodies and
query strings with the create/update names, nested ``settings[...]`` and ``registration[...]``
keys, and values from plausible (``1:30``, ``2026-11-04 18:00``) to hostile (``²``, 5,000
digits, lone surrogates, control characters). Whatever arrives, the answer is never a 5xx,
every 4xx is ClickMeeting's error body, and no read model stops at what was accepted. Start
times range over every year a date can have (the domain refuses those with no UTC instant or
too far ahead), with and without offsets.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlencode

import hypothesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from tests.fuzz.conftest import Target, stopped_read_models
from tests.v1.helpers import FORM, JSON_TYPE

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10")) * 4
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

ROOM_PARAMS = (
    "name", "room_type", "permanent_room", "access_type", "password", "custom_room_url_name",
    "lobby_enabled", "lobby_description", "starts_at", "duration", "timezone", "skin_id",
    "registration[enabled]", "registration[template]", "settings[show_on_personal_page]",
    "settings[phonegateway_enabled]", "settings[thank_you_page_url]", "status", "page",
    "how_many", "api_key",
)  # fmt: skip
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.just("9" * 5000),
    st.sampled_from(["²", "٣", "1.5", "1e3", " 7 ", "+3", "-0", "0x10", ""]),
)
starts = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat(sep=" ", timespec="seconds")),
    st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat()),
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:30:00", "0001-01-01 00:00"]),
)
durations = st.one_of(
    st.from_regex(r"\A[0-9]{1,3}:[0-9]{1,3}\Z"), st.sampled_from(["1", "24", "0:05", "3:00"])
)
texts = st.one_of(
    st.text(max_size=40),  # any code point, surrogates and NUL included
    st.sampled_from(["a\x00b", "\x1b[31mred", "del\x7f", "x\ud800y", "\u202eevil", "tab\tok"]),
)
values = st.one_of(
    texts,
    numbers,
    starts,
    durations,
    st.sampled_from(["meeting", "webinar", "1", "0", "true", "True", "Europe/Warsaw", "UTC"]),
)
keys = st.one_of(st.sampled_from(ROOM_PARAMS), st.text(max_size=12))
# A valid room to start from, so most requests get past the required parameters; the fuzzed
# pairs come after it and win a clash (as the body wins over the query string).
valid_room = st.fixed_dictionaries(
    {
        "name": st.one_of(
            st.text(
                st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
                min_size=1,
                max_size=30,
            ),
            texts,  # half the time: anything, hostile included
        ),
        "room_type": st.sampled_from(["meeting", "webinar"]),
        "permanent_room": st.sampled_from(["0", "1"]),
        "access_type": st.sampled_from(["1", "2", "3"]),
        "password": st.just("secret"),
        "email": st.just("fuzz@example.com"),
        "firstname": st.just("Fuzz"),
        "lastname": st.just("Tester"),
        "how_many": st.sampled_from(["1", "3"]),
        "nickname": st.just("Fuzzy"),
        "role": st.sampled_from(["listener", "presenter", "host"]),
    }
).map(lambda room: list(room.items()))
params = st.tuples(valid_room, st.lists(st.tuples(keys, values), max_size=8)).map(
    lambda parts: parts[0] + parts[1]
)


def form_body(pairs: list[tuple[str, str]]) -> bytes | None:
    """The pairs as a form body; None if they cannot be UTF-8 (no client could send them)."""
    try:
        return urlencode(pairs).encode("ascii")
    except UnicodeEncodeError:
        return None


def check(response: Any) -> None:
    """Never a 5xx; a 4xx is JSON with ClickMeeting's ``code``/``name``/``errors``."""
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/json")
        found = response.json()
        assert set(found) == {"code", "name", "errors"}, found
        assert found["code"] == response.status_code
        assert all(set(item) == {"name", "message"} for item in found["errors"])


def send(target: Target, method: str, path: str, pairs: list[tuple[str, str]], how: str) -> None:
    """One request with ``pairs`` encoded ``how``, checked."""
    headers = {"X-Api-Key": target.key}
    with TestClient(target.app) as http:
        if how == "form":
            body = form_body(pairs)
            hypothesis.assume(body is not None)
            response = http.request(
                method, path, content=body, headers={**headers, "Content-Type": FORM}
            )
        elif how == "json":
            content = json.dumps(dict(pairs))  # lone surrogates become \\ud800 escapes
            response = http.request(
                method, path, content=content, headers={**headers, "Content-Type": JSON_TYPE}
            )
        else:
            query = form_body(pairs)
            hypothesis.assume(query is not None)
            response = http.request(
                method, f"{path}?{query.decode() if query else ''}", headers=headers
            )
    check(response)


encodings = st.sampled_from(["form", "json", "query"])


def test_creating_conferences_never_fails_on_our_side(target: Target) -> None:
    """POST conferences with any parameters: a room or a 4xx in ClickMeeting's shape."""

    @SETTINGS
    @given(pairs=params, how=encodings)
    def run(pairs: list[tuple[str, str]], how: str) -> None:
        send(target, "POST", "/v1/conferences", pairs, how)

    run()
    assert stopped_read_models(target) == []


def test_editing_a_conference_never_fails_on_our_side(target: Target) -> None:
    """PUT conferences/{id} on a real room with any parameters: never a 5xx."""

    @SETTINGS
    @given(pairs=params, how=encodings)
    def run(pairs: list[tuple[str, str]], how: str) -> None:
        send(target, "PUT", f"/v1/conferences/{target.room_number}", pairs, how)

    run()
    assert stopped_read_models(target) == []


def test_lists_and_tokens_never_fail_on_our_side(target: Target) -> None:
    """Paged lists, token generation and registration with any parameters: never a 5xx."""
    number = target.room_number

    @SETTINGS
    @given(
        pairs=params,
        how=encodings,
        where=st.sampled_from(
            [
                ("GET", "/v1/conferences/active"),
                ("GET", "/v1/conferences/inactive"),
                ("GET", "/v1/conferences"),
                ("POST", f"/v1/conferences/{number}/tokens"),
                ("POST", f"/v1/conferences/{number}/registration"),
                ("POST", f"/v1/conferences/{number}/room/autologin_hash"),
                ("POST", "/v1/contacts"),
            ]
        ),
    )
    def run(pairs: list[tuple[str, str]], how: str, where: tuple[str, str]) -> None:
        send(target, where[0], where[1], pairs, how)

    run()
    assert stopped_read_models(target) == []
