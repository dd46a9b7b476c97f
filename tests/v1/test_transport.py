"""Transport: API keys, format suffixes, URL quirks and error bodies, as clients meet them."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from tests.v1.helpers import FORM, api_key, body, create, error, php_headers


def test_the_key_header_authenticates(client: TestClient, podium: Podium) -> None:
    """``X-Api-Key`` on a GET answers 200 with ``{"ping": "pong"}``."""
    key = api_key(podium)
    assert body(client.get("/v1/ping.json", headers={"X-Api-Key": key}), 200) == {"ping": "pong"}


def test_missing_and_wrong_keys_are_401_with_the_error_body(
    client: TestClient, podium: Podium
) -> None:
    """No key or an unknown key: 401, ClickMeeting's body, plain application/json."""
    api_key(podium)
    missing = error(client.get("/v1/conferences/active.json"), 401)
    assert missing["name"] == "Unauthorized"
    wrong = client.get("/v1/conferences/active.json", headers={"X-Api-Key": "pdm_wrong"})
    error(wrong, 401)
    assert "problem" not in wrong.headers["content-type"]


def test_api_key_as_a_query_parameter(client: TestClient, podium: Podium) -> None:
    """Older clients (example.mxml) send ``conferences?api_key=KEY``."""
    key = api_key(podium)
    found = body(client.get(f"/v1/conferences?api_key={key}"), 200)
    assert found == {"active_conferences": []}


def test_api_key_as_a_form_parameter(client: TestClient, podium: Podium) -> None:
    """Private Label style: ``api_key`` in the form body, even on a GET."""
    key = api_key(podium)
    response = client.request(
        "GET", "/v1/time_zone_list", content=f"api_key={key}", headers={"Content-Type": FORM}
    )
    assert "Europe/Warsaw" in body(response, 200)


def test_suffix_after_the_query_string(client: TestClient, podium: Podium) -> None:
    """The PHP example's ``conferences/active?page=1.json``: page 1, in JSON."""
    key = api_key(podium)
    room = create(client, key)
    first = body(client.get("/v1/conferences/active?page=1.json", headers={"X-Api-Key": key}), 200)
    assert [r["id"] for r in first] == [room["id"]]
    second = client.get("/v1/conferences/active?page=2.json", headers={"X-Api-Key": key})
    assert body(second, 200) == []


def test_node_trailing_slash_and_query_only_parameters(client: TestClient, podium: Podium) -> None:
    """Node's ``conferences/active/`` and ``conferences/inactive/`` answer arrays."""
    key = api_key(podium)
    create(client, key)
    active = body(client.get("/v1/conferences/active/", headers={"X-Api-Key": key}), 200)
    inactive = body(client.get("/v1/conferences/inactive/", headers={"X-Api-Key": key}), 200)
    assert (len(active), inactive) == (1, [])


def test_xml_suffix(client: TestClient, podium: Podium) -> None:
    """``conferences/{id}.xml`` is an XML document with the same fields."""
    key = api_key(podium)
    room = create(client, key)
    response = client.get(f"/v1/conferences/{room['id']}.xml", headers={"X-Api-Key": key})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = fromstring(response.text.split("\n", 1)[1])  # noqa: S314 - our own answer
    assert root.findtext("conference/id") == str(room["id"])
    assert (
        root.findtext("conference/access_role_hashes/host") == (room["access_role_hashes"]["host"])
    )


def test_js_and_printr_suffixes(client: TestClient, podium: Podium) -> None:
    """``.js`` is JSON as application/javascript; ``.printr`` is PHP print_r text."""
    key = api_key(podium)
    js = client.get("/v1/ping.js", headers={"X-Api-Key": key})
    assert js.headers["content-type"].startswith("application/javascript")
    assert js.json() == {"ping": "pong"}
    printr = client.get("/v1/ping.printr", headers={"X-Api-Key": key})
    assert printr.headers["content-type"].startswith("text/plain")
    assert printr.text == "Array\n(\n    [ping] => pong\n)\n"


def test_unknown_paths_and_methods_answer_the_error_body(
    client: TestClient, podium: Podium
) -> None:
    """An unknown endpoint is 404 and a wrong method 405, both in ClickMeeting's shape."""
    key = api_key(podium)
    error(client.get("/v1/nothing-here.json", headers={"X-Api-Key": key}), 404)
    error(client.patch("/v1/conferences.json", headers={"X-Api-Key": key}), 405)


def test_malformed_body_is_400(client: TestClient, podium: Podium) -> None:
    """A broken JSON body is a 400 in ClickMeeting's shape."""
    key = api_key(podium)
    response = client.post(
        "/v1/conferences",
        content=b'{"name": ',
        headers={"X-Api-Key": key, "Content-Type": "application/json"},
    )
    assert error(response, 400)["name"] == "Bad Request"


def test_live_room_endpoints_answer_501(client: TestClient, podium: Podium) -> None:
    """Recordings and files: 501 with the error body."""
    key = api_key(podium)
    room = create(client, key)
    headers = php_headers(key)
    for method, path in (
        ("GET", f"conferences/{room['id']}/recordings"),
        ("DELETE", f"conferences/{room['id']}/recordings/502211"),
        ("GET", "file-library"),
        ("GET", "file-library/774922/download"),
        ("POST", f"file-library/conferences/{room['id']}"),
    ):
        found = error(client.request(method, f"/v1/{path}.json", headers=headers), 501)
        assert found["name"] == "Not Implemented"
    error(client.get("/v1/chats.json"), 401)
