"""URL quirks and answer formats on their own: suffixes, trailing slashes, XML and print_r."""

from __future__ import annotations

from xml.etree.ElementTree import fromstring

from api.v1.formats import to_printr, to_xml
from api.v1.wire import split_path, split_query


def test_format_suffix_comes_off_the_last_segment() -> None:
    """``.json``, ``.xml``, ``.js`` and ``.printr`` name the format; no suffix means none."""
    assert split_path("/v1/conferences/active.json") == ("/v1/conferences/active", "json")
    assert split_path("/v1/conferences.xml") == ("/v1/conferences", "xml")
    assert split_path("/v1/time_zone_list/us.JS") == ("/v1/time_zone_list/us", "js")
    assert split_path("/v1/ping.printr") == ("/v1/ping", "printr")
    assert split_path("/v1/conferences/1") == ("/v1/conferences/1", None)


def test_trailing_slashes_are_dropped() -> None:
    """Node's ``conferences/active/`` and the gem's ``time_zone_list/`` are the plain paths."""
    assert split_path("/v1/conferences/active/") == ("/v1/conferences/active", None)
    assert split_path("/v1/time_zone_list/") == ("/v1/time_zone_list", None)


def test_suffix_after_the_query_string_comes_off_the_last_value() -> None:
    """``?page=1.json`` (PHP, Python, Ruby examples) is ``page=1`` in JSON."""
    assert split_query(b"page=1.json") == (b"page=1", "json")
    assert split_query(b"page=2.xml") == (b"page=2", "xml")
    assert split_query(b"page=1") == (b"page=1", None)


def test_xml_maps_lists_booleans_and_odd_keys() -> None:
    """Maps become elements, lists ``item``s, booleans 1/0, odd keys ``item key=...``."""
    text = to_xml({"a": [1, 2], "ok": True, "none": None, "fields": {"First Name": "Ann"}})
    root = fromstring(text.split("\n", 1)[1])  # noqa: S314 - our own answer
    assert root.tag == "response"
    assert [item.text for item in root.find("a") or []] == ["1", "2"]
    assert root.findtext("ok") == "1"
    assert root.findtext("none") == ""
    odd = root.find("fields/item")
    assert odd is not None
    assert (odd.get("key"), odd.text) == ("First Name", "Ann")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_printr_looks_like_php() -> None:
    """Nested arrays indent by eight and close with a blank line, as print_r does."""
    assert to_printr({"ping": "pong", "list": [True, False, None]}) == (
        "Array\n(\n    [ping] => pong\n    [list] => Array\n        (\n"
        "            [0] => 1\n            [1] => \n            [2] => \n        )\n\n)\n"
    )
