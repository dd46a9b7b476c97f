"""Control characters: refused in a room's text, and never able to break an XML answer."""

from __future__ import annotations

import re
from urllib.parse import quote_plus
from xml.etree.ElementTree import Element, fromstring

import pytest
from fastapi.testclient import TestClient

from api.v1.formats import to_xml
from podium.bootstrap import Podium
from tests.v1.helpers import PHP_WEBINAR, api_key, create, error, php_headers

# Every character XML 1.0 cannot hold, even as a character reference, by kind.
NOT_XML = (
    "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r") + "\ud800\udfff\ufffe\uffff"
)


def parse(text: str) -> Element:
    """The document as an XML parser reads it from the UTF-8 bytes on the wire."""
    return fromstring(text.encode("utf-8"))  # noqa: S314 - our own answer


def test_xml_writer_replaces_what_xml_cannot_hold() -> None:
    """Every non-XML character in a value or an odd key becomes U+FFFD; the rest is kept."""
    text = to_xml({"name": f"a{NOT_XML}b", f"key {NOT_XML}": "x", "agenda": "tab\tline\nend"})
    root = parse(text)
    assert root.findtext("name") == "a" + "\ufffd" * len(NOT_XML) + "b"
    odd = root.find("item")
    assert odd is not None
    assert odd.get("key") == "key " + "\ufffd" * len(NOT_XML)
    assert root.findtext("agenda") == "tab\tline\nend"


@pytest.mark.parametrize("name", ["a\u0000b", "a\u001bb", "a\u007fb", "a\u0085b", "a\u2028b"])
def test_a_room_name_with_a_control_character_is_refused(
    client: TestClient, podium: Podium, name: str
) -> None:
    """POST conferences with such a name: 422 in ClickMeeting's shape, and no room."""
    key = api_key(podium)
    form = PHP_WEBINAR.replace("name=Quarterly+Review", "name=" + quote_plus(name))
    response = client.post("/v1/conferences.json", content=form, headers=php_headers(key))
    found = error(response, 422)
    assert "control characters" in found["errors"][0]["message"]
    active = client.get("/v1/conferences/active.json", headers={"X-Api-Key": key})
    assert active.json() == []


def test_a_stored_name_with_a_nul_still_gives_well_formed_xml(
    client: TestClient, podium: Podium, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A room named ``a\\u0000b\\u001bc`` before the rule existed: active.xml still parses."""
    key = api_key(podium)
    with monkeypatch.context() as before_the_rule:
        before_the_rule.setattr("domain.room.check_text", lambda settings: None)
        before_the_rule.setattr("api.v1.fields.CONTROL", re.compile("(?!)"))  # the edge's rule
        room = create(client, key, PHP_WEBINAR.replace("Quarterly+Review", "a%00b%1Bc"))
    # Read models cannot hold NUL (PostgreSQL text); JSON carries the escape character as is.
    assert room["name"] == "a\ufffdb\u001bc"
    response = client.get("/v1/conferences/active.xml", headers={"X-Api-Key": key})
    assert response.status_code == 200
    root = parse(response.text)
    assert [item.findtext("name") for item in root] == ["a\ufffdb\ufffdc"]
