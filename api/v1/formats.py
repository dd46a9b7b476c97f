"""Answers in the format the URL asked for: JSON, XML, JS or PHP ``print_r`` text.

``json`` is the reference format. ``js`` is the same JSON served as ``application/javascript``
(no JSONP callback: no known client sends one). ``xml`` is a plain serialisation: the document
element is ``<response>``, a map's keys become elements (a key that is not an XML name, such as
``First Name``, becomes ``<item key="First Name">``), list entries are ``<item>`` elements,
booleans are 1/0 and null is an empty element. A character XML 1.0 cannot hold at all (most
control characters, lone surrogates, U+FFFE and U+FFFF: not even as a character reference) becomes
U+FFFD, so no stored value, however old, makes the document ill-formed. ``printr`` imitates
PHP's ``print_r`` of the decoded JSON, for the PHP clients that asked for it.
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi.responses import Response
from starlette.requests import Request

from api.v1.wire import response_format

MEDIA_TYPES = {
    "json": "application/json",
    "js": "application/javascript",
    "xml": "application/xml",
    "printr": "text/plain",
}
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
# The complement of XML 1.0's Char production (section 2.2).
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML_CHAR.sub("\ufffd", text)


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _xml_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return xml_safe(str(value))


def _fill(element: Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key)
            if _XML_NAME.match(name) and not name.lower().startswith("xml"):
                child = SubElement(element, name)
            else:
                child = SubElement(element, "item", key=xml_safe(name))
            _fill(child, item)
    elif isinstance(value, list):
        for item in value:
            _fill(SubElement(element, "item"), item)
    else:
        element.text = _xml_text(value)


def to_xml(data: Any) -> str:
    root = Element("response")
    _fill(root, data)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _printr_scalar(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    return str(value)


def _printr(value: Any, indent: int) -> str:
    if not isinstance(value, dict | list):
        return _printr_scalar(value)
    items = value.items() if isinstance(value, dict) else enumerate(value)
    pad = " " * indent
    lines = [f"Array\n{pad}(\n"]
    for key, item in items:
        lines.append(f"{pad}    [{key}] => {_printr(item, indent + 8)}\n")
    lines.append(f"{pad})\n")
    return "".join(lines)


def to_printr(data: Any) -> str:
    """What PHP's ``print_r(json_decode($body, true))`` prints."""
    return _printr(data, 0)


SERIALISERS = {"json": to_json, "js": to_json, "xml": to_xml, "printr": to_printr}


def render(request: Request, data: Any, status: int = 200) -> Response:
    """``data`` in the request's format, with that format's media type (UTF-8)."""
    fmt = response_format(request)
    body = SERIALISERS[fmt](data)
    return Response(body, status_code=status, media_type=MEDIA_TYPES[fmt])
