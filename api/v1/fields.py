"""Typed reads of normalised parameters, with ClickMeeting's spellings of values.

Booleans come as ``1``/``0`` (PHP), ``true``/``false`` (Ruby, Node, JSON), ``True``/``False``
(the Python example); integers as ASCII digits or JSON numbers, read by ``whole_number`` alone
(every integer of /v1, path ids included, goes through it or through ``NUMBER_PATTERN``), so
none exceeds what SQLite's INTEGER and PostgreSQL's BIGINT hold. A value of the wrong shape is a
422 naming the parameter as the client spelled it (``settings[thank_you_page_url]``).
"""

from __future__ import annotations

import re
from typing import Any

from starlette.convertors import Convertor, register_url_convertor

from api.v1.errors import V1Error

TRUE = frozenset({"1", "true", "on", "yes", "y"})
FALSE = frozenset({"0", "false", "off", "no", "n"})
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s.\x00-\x1f\x7f]+$")
# C0 controls but tab, LF and CR, and DEL: PostgreSQL cannot store NUL, XML cannot carry them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# ASCII digits only: ``int()`` also reads Arabic-Indic digits, and raises on ``²`` (which
# ``str.isdigit`` calls a digit). Twenty digits is past BIGINT already; more is never read.
_WHOLE = re.compile(r"[+-]?[0-9]{1,20}")


class _Number(Convertor[int]):
    """``{room_id:number}``: an id in a /v1/ path, at most 18 digits, so it always fits a
    BIGINT; a longer one matches no route (404) instead of overflowing a query."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


# Every /v1/ router imports this module before declaring its paths, which compiles them.
register_url_convertor("number", _Number())


def whole_number(value: Any) -> int | None:
    """The integer ``value`` spells (ASCII digits, a JSON integer or a JSON number without a
    fraction), or None if it spells none; the caller checks the range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def as_list(value: Any) -> list[Any]:
    """A list however it came: ``a[]`` (list), ``a[0]``/``a[1]`` (map by index), or one value."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]


class Params:
    """One level of parameters (the top, or a map such as ``settings[...]``)."""

    def __init__(self, data: dict[str, Any], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix

    def name(self, key: str) -> str:
        """The parameter's name as sent: ``settings[x]`` inside ``settings``."""
        return f"{self.prefix}[{key}]" if self.prefix else key

    def invalid(self, key: str, message: str) -> V1Error:
        return V1Error(422, f"{self.name(key)} {message}", self.name(key))

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def names(self) -> list[str]:
        return list(self.data)

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def section(self, key: str) -> Params:
        """A nested map (``settings``, ``registration``); absent is empty."""
        value = self.data.get(key)
        if value in (None, ""):
            return Params({}, self.name(key))
        if isinstance(value, list):
            value = {str(n): item for n, item in enumerate(value)}
        if not isinstance(value, dict):
            raise self.invalid(key, "must be a list of values such as " + self.name(key) + "[x]")
        return Params(value, self.name(key))

    def text(self, key: str, *, required: bool = False, limit: int | None = None) -> str | None:
        value = self.data.get(key)
        if value is None or (required and str(value).strip() == ""):
            if required:
                raise self.invalid(key, "is required")
            return None
        if isinstance(value, dict | list):
            raise self.invalid(key, "must be a single value")
        text = _scalar_text(value)
        if CONTROL.search(text):
            raise self.invalid(key, "must not contain control characters")
        if limit is not None and len(text) > limit:
            raise self.invalid(key, f"must be at most {limit} characters")
        return text

    def required(self, key: str, limit: int | None = None) -> str:
        value = self.text(key, required=True, limit=limit)
        if value is None:
            raise self.invalid(key, "is required")
        return value.strip()

    def flag(self, key: str) -> bool | None:
        """1/0, true/false, True/False (and JSON booleans); absent or empty is None."""
        value = self.data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise self.invalid(key, "must be 1 or 0 (true or false)")

    def integer(self, key: str, *, low: int = INT64_MIN, high: int = INT64_MAX) -> int | None:
        """A whole number within ``low`` and ``high``; absent or empty is None."""
        value = self.data.get(key)
        if value is None or value == "":
            return None
        number = whole_number(value)
        if number is None:
            raise self.invalid(key, "must be a whole number")
        if not low <= number <= high:
            raise self.invalid(key, f"must be between {low} and {high}")
        return number

    def email(self, key: str, *, required: bool = True) -> str | None:
        value = self.text(key, required=required, limit=254)
        if value is None:
            return None
        value = value.strip()
        if not EMAIL.match(value):
            raise self.invalid(key, f"is not a valid email address: {value!r}")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str | None:
        value = self.text(key)
        if value is None or value == "":
            return default
        if value.strip().lower() not in options:
            raise self.invalid(key, f"must be one of {', '.join(options)}")
        return value.strip().lower()


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)
