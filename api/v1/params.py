"""Request normalising: every way a ClickMeeting client sends parameters, as one nested dict.

Known clients put parameters in a form-encoded body (PHP ``http_build_query``, the Python and
Ruby examples, Faraday, Go's ``url.Values``, sometimes with no Content-Type at all), in a JSON
body (a Laravel client), or in the query string (the Node client sends everything there). Keys
nest the PHP/Rack way: ``settings[x]=1`` is ``{"settings": {"x": "1"}}``, ``registration[1]=a``
is ``{"registration": {"1": "a"}}``, ``tags[]=a&tags[]=b`` is a list, and ``attendees[][email]``
repeated is a list of dicts (a new one starts when the key repeats, as Rack does).

Query parameters are read first and the body's after them, so the body wins a clash. A body of
the literal text ``None`` (what the Python example sends when it has no parameters) is no body.
Form values stay strings; JSON values keep their types. ``fields.Params`` reads them typed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import UploadFile
from starlette.requests import Request

from api.v1.errors import V1Error

Tree = dict[str, Any]

_KEY = re.compile(r"^([^\[\]]*)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")
MAX_DEPTH = 8
_CACHE = "podium.v1.params"


def split_key(key: str) -> list[str]:
    """``a[b][]`` as ``["a", "b", ""]``; a key that is not of that shape is taken whole."""
    match = _KEY.match(key)
    if match is None or not match.group(1):
        return [key]
    return [match.group(1), *_PART.findall(match.group(2))]


def _malformed(path: list[str]) -> V1Error:
    name = path[0] + "".join(f"[{part}]" for part in path[1:])
    return V1Error(400, f"parameter {name} is given both as a value and as a list or map", name)


def _has(tree: Any, path: list[str]) -> bool:
    for part in path:
        if not isinstance(tree, dict) or part == "" or part not in tree:
            return False
        tree = tree[part]
    return True


def assign(tree: Tree, path: list[str], value: Any, _full: list[str] | None = None) -> None:
    """Put ``value`` at ``path`` in ``tree``, Rack's way (``[]`` appends to a list)."""
    full = _full or path
    if len(full) > MAX_DEPTH:
        raise V1Error(400, f"parameter {full[0]} nests too deep", full[0])
    head, rest = path[0], path[1:]
    if not rest:
        if isinstance(tree.get(head), dict | list) and not isinstance(value, dict | list):
            raise _malformed(full)
        tree[head] = value
        return
    if rest[0] != "":
        child = tree.setdefault(head, {})
        if not isinstance(child, dict):
            raise _malformed(full)
        assign(child, rest, value, full)
        return
    items = tree.setdefault(head, [])
    if not isinstance(items, list):
        raise _malformed(full)
    if len(rest) == 1:
        items.append(value)
    elif items and isinstance(items[-1], dict) and not _has(items[-1], rest[1:]):
        assign(items[-1], rest[1:], value, full)
    else:
        element: Tree = {}
        assign(element, rest[1:], value, full)
        items.append(element)


def nest(pairs: Iterable[tuple[str, Any]], tree: Tree | None = None) -> Tree:
    """Flat ``(key, value)`` pairs (keys with brackets) as a nested dict."""
    tree = {} if tree is None else tree
    for key, value in pairs:
        if key:
            assign(tree, split_key(key), value)
    return tree


def form_pairs(text: str) -> list[tuple[str, str]]:
    """``a=1&b=2`` as pairs; ``+`` is a space, bad percent-encoding is a 400."""
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
    except (UnicodeDecodeError, ValueError) as error:
        raise V1Error(400, f"the parameters are not valid URL encoding: {error}") from None


def _check_json(data: Any) -> None:
    """Refuse what JSON can spell but Podium cannot keep: nesting deeper than any parameter
    (``MAX_DEPTH``) and text with a lone surrogate (``"\\ud800"``), which no UTF-8 column,
    mail or log line can hold."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise V1Error(400, f"the JSON body nests deeper than {MAX_DEPTH} levels")
        if isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise V1Error(400, "the JSON body has text that is not Unicode") from None


def _json_pairs(body: bytes) -> list[tuple[str, Any]]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise V1Error(400, f"the body is not valid JSON: {error}") from None
    except RecursionError:  # the parser's own depth limit, far past ours
        raise V1Error(400, f"the JSON body nests deeper than {MAX_DEPTH} levels") from None
    _check_json(data)
    if data is None:
        return []
    if not isinstance(data, dict):
        raise V1Error(400, "a JSON body must be an object of parameters")
    return list(data.items())


def _decode(raw: bytes, what: str = "body") -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise V1Error(400, f"the {what} is not UTF-8 text") from None


async def _multipart_pairs(request: Request) -> list[tuple[str, Any]]:
    try:
        form = await request.form()
    except Exception as error:  # the multipart parser raises several kinds; all mean malformed
        raise V1Error(400, f"the multipart body cannot be read: {error}") from None
    return [(key, value) for key, value in form.multi_items() if not isinstance(value, UploadFile)]


async def body_pairs(request: Request) -> list[tuple[str, Any]]:
    """The body's parameters, by Content-Type; no Content-Type means form encoding (Go)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type.startswith("multipart/"):
        return await _multipart_pairs(request)
    body = await request.body()
    if not body.strip() or body.strip() == b"None":
        return []
    if content_type == "application/json" or content_type.endswith("+json"):
        return _json_pairs(body)
    return form_pairs(_decode(body))


async def read_params(request: Request) -> Tree:
    """Query string and body parameters of ``request`` as one nested dict (read once)."""
    cached = request.scope.get(_CACHE)
    if cached is not None:
        tree: Tree = cached
        return tree
    tree = nest(form_pairs(_decode(request.scope.get("query_string", b""), "query string")))
    nest(await body_pairs(request), tree)
    request.scope[_CACHE] = tree
    return tree
