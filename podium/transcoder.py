"""An orjson transcoder for the event store.

orjson writes datetimes, UUIDs and enums natively but reads them back as plain strings, so
they are tagged on the way out and restored on the way in, at any depth: a snapshot nests the
aggregate's whole state, and an aggregate must come back from it exactly as it was.
"""

from __future__ import annotations

from dataclasses import is_dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Transcoder
from eventsourcing.utils import get_topic, resolve_topic

_TAG = "_type_"
_DATA = "_data_"


# Values orjson writes and reads back unchanged; checked by exact type first, since nearly
# every value in an event is one (an enum that is also a str is not: its type is the enum).
_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def _tag(value: Any) -> Any:
    """Plain JSON values stay as they are; typed ones become {_type_, _data_} pairs."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, dict):
        return {key: _tag(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_tag(item) for item in value]
    if isinstance(value, UUID):
        return {_TAG: "uuid_hex", _DATA: value.hex}
    if isinstance(value, datetime):
        return {_TAG: "datetime_iso", _DATA: value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "date_iso", _DATA: value.isoformat()}
    if is_dataclass(value) or isinstance(value, time):
        # orjson would write these, but they would come back as dicts or strings.
        raise TypeError(f"cannot store {type(value).__name__} in an event; store plain values")
    if isinstance(value, Enum):
        return {_TAG: "enum", _DATA: [get_topic(type(value)), value.value]}
    return value


def _restore(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, dict):
        tag = value.get(_TAG)
        if tag is not None and len(value) == 2:
            data = value[_DATA]
            if tag == "datetime_iso":
                return datetime.fromisoformat(data)
            if tag == "date_iso":
                return date.fromisoformat(data)
            if tag == "uuid_hex":
                return UUID(data)
            if tag == "enum":
                return resolve_topic(data[0])(data[1])
        return {key: _restore(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_restore(item) for item in value]
    return value


class OrjsonTranscoder(Transcoder):
    """Encodes event state with orjson, keeping datetimes, UUIDs and enums typed."""

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(_tag(obj))

    def decode(self, data: bytes) -> Any:
        return _restore(orjson.loads(data))
