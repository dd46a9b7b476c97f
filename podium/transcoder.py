"""An orjson transcoder for the event store.

orjson writes datetimes and UUIDs natively but reads them back as strings, so both are tagged on
the way out (datetimes through ``default``; UUIDs at the top level of an event's state, where
eventsourcing keeps them) and restored on the way in. Nested ids in event payloads are plain
strings by convention. Enums are stored as their values: aggregates compare them with ``==``.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Transcoder

_TAG = "_type_"
_DATA = "_data_"
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME


def _default(obj: Any) -> Any:
    if isinstance(obj, datetime):
        return {_TAG: "datetime_iso", _DATA: obj.isoformat()}
    if isinstance(obj, Enum):
        return obj.value
    raise TypeError(f"cannot store {type(obj).__name__} in an event: {obj!r}")


def _restore(value: Any) -> Any:
    if isinstance(value, dict):
        tag = value.get(_TAG)
        if tag is not None and len(value) == 2:
            data = value[_DATA]
            if tag == "datetime_iso":
                return datetime.fromisoformat(data)
            if tag == "uuid_hex":
                return UUID(data)
        return {key: _restore(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_restore(item) for item in value]
    return value


class OrjsonTranscoder(Transcoder):
    """Encodes event state with orjson, keeping datetimes and top-level UUIDs typed."""

    def encode(self, obj: Any) -> bytes:
        if isinstance(obj, dict):
            obj = {
                key: {_TAG: "uuid_hex", _DATA: value.hex} if isinstance(value, UUID) else value
                for key, value in obj.items()
            }
        return orjson.dumps(obj, default=_default, option=_OPTIONS)

    def decode(self, data: bytes) -> Any:
        return _restore(orjson.loads(data))
