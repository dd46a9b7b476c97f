"""The request normaliser on its own: every parameter encoding clients use, as one nested dict."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.requests import Request

from api.v1.errors import V1Error
from api.v1.fields import Params, as_list
from api.v1.params import read_params, split_key

FORM = "application/x-www-form-urlencoded"


def make_request(
    method: str = "POST",
    query: str = "",
    body: bytes = b"",
    content_type: str | None = FORM,
) -> Request:
    headers = [(b"content-type", content_type.encode())] if content_type else []
    scope: dict[str, Any] = {
        "type": "http",
        "method": method,
        "path": "/v1/conferences",
        "root_path": "",
        "query_string": query.encode(),
        "headers": headers,
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(scope, receive)


def params(**kwargs: Any) -> dict[str, Any]:
    return asyncio.run(read_params(make_request(**kwargs)))


def test_keys_split_on_brackets() -> None:
    """``a[b][]`` is the path a, b, (append); a key without brackets is itself."""
    assert split_key("a[b][]") == ["a", "b", ""]
    assert split_key("name") == ["name"]
    assert split_key("a[b") == ["a[b"]


def test_php_http_build_query_nests_maps() -> None:
    """PHP's percent-encoded brackets become nested maps; + is a space."""
    body = b"name=My+Room&settings%5Bshow_on_personal_page%5D=1&settings%5Bthank_you_page_url%5D=x"
    assert params(body=body) == {
        "name": "My Room",
        "settings": {"show_on_personal_page": "1", "thank_you_page_url": "x"},
    }


def test_php_indexed_lists_and_numbered_registration_fields() -> None:
    """``attendees[0][email]`` and ``registration[1]`` are maps keyed by the index."""
    body = (
        b"attendees%5B0%5D%5Bemail%5D=a%40x.io&attendees%5B1%5D%5Bemail%5D=b%40x.io"
        b"&registration%5B1%5D=John"
    )
    got = params(body=body)
    assert as_list(got["attendees"]) == [{"email": "a@x.io"}, {"email": "b@x.io"}]
    assert got["registration"] == {"1": "John"}


def test_python_example_encodes_lists_of_maps_with_empty_brackets() -> None:
    """``attendees%5B%5D%5Bemail%5D`` repeated makes one map per attendee (Rack's rule)."""
    body = b"attendees%5B%5D%5Bemail%5D=a%40x.io&attendees%5B%5D%5Bemail%5D=b%40x.io&role=listener"
    got = params(body=body)
    assert got["attendees"] == [{"email": "a@x.io"}, {"email": "b@x.io"}]


def test_ruby_style_unescaped_brackets_and_lists() -> None:
    """Faraday's ``a[][c]`` and ``tags[]`` work unescaped too."""
    got = params(body=b"a[][c]=1&a[][d]=2&a[][c]=3&tags[]=x&tags[]=y")
    assert got == {"a": [{"c": "1", "d": "2"}, {"c": "3"}], "tags": ["x", "y"]}


def test_python_none_body_is_no_body() -> None:
    """The Python example's literal ``None`` body on a GET carries no parameters."""
    assert params(method="GET", body=b"None") == {}
    assert params(method="DELETE", body=b"None", query="page=2") == {"page": "2"}


def test_missing_content_type_is_read_as_a_form() -> None:
    """Go's client posts ``url.Values`` without a Content-Type."""
    assert params(body=b"name=Go&registration%5B1%5D=Ann", content_type=None) == {
        "name": "Go",
        "registration": {"1": "Ann"},
    }


def test_json_body_keeps_types_and_nesting() -> None:
    """A Laravel client's JSON body: nested objects and real booleans."""
    got = params(
        body=b'{"name": "L", "permanent_room": true, "settings": {"show_on_personal_page": false}}',
        content_type="application/json; charset=utf-8",
    )
    assert got == {
        "name": "L",
        "permanent_room": True,
        "settings": {"show_on_personal_page": False},
    }


def test_query_string_parameters_and_body_wins_a_clash() -> None:
    """Node sends everything in the query; when both have a key, the body's value wins."""
    got = params(query="name=Q&settings%5Bx%5D=1", body=b"name=B")
    assert got == {"name": "B", "settings": {"x": "1"}}


def test_empty_form_body_with_form_content_type() -> None:
    """The gem's GETs carry a form Content-Type and no body."""
    assert params(method="GET", body=b"") == {}


def test_malformed_input_is_a_400() -> None:
    """Bad JSON, a key both value and map, and bad UTF-8 are malformed requests."""
    for kwargs in (
        {"body": b"{nope", "content_type": "application/json"},
        {"body": b"[1, 2]", "content_type": "application/json"},
        {"body": b"a=1&a%5Bb%5D=2"},
        {"body": b"a%5Bb%5D=2&a=1"},
        {"body": b"a=%FF"},
    ):
        with pytest.raises(V1Error) as raised:
            params(**kwargs)
        assert raised.value.status == 400


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("0", False), ("true", True), ("false", False), ("True", True),
     ("False", False), (True, True), (False, False), (1, True), ("", None)],
)  # fmt: skip
def test_booleans_in_every_spelling(raw: object, expected: bool | None) -> None:
    """1/0, true/false, True/False and JSON booleans all read as booleans."""
    assert Params({"flag": raw}).flag("flag") is expected


def test_typed_reads_name_the_parameter_as_sent() -> None:
    """A bad value inside ``settings`` is reported as ``settings[x]`` with a 422."""
    settings = Params({"settings": {"x": "maybe"}}).section("settings")
    with pytest.raises(V1Error) as raised:
        settings.flag("x")
    assert (raised.value.status, raised.value.field) == (422, "settings[x]")
    with pytest.raises(V1Error):
        Params({"page": "two"}).integer("page")
    assert Params({"page": "2"}).integer("page") == 2
