"""The building blocks of the /v1/ OpenAPI document (``api.v1.openapi``): the error body,
parameter and answer helpers, and the component schemas (the room object key for key)."""

from __future__ import annotations

from typing import Any

from api.v1.objects import TOGGLE_DEFAULTS
from api.v1.room_params import MAX_HOURS

ERRORS = {
    400: "malformed parameters or body",
    401: "no API key, or an unknown one",
    403: "not allowed with this key",
    404: "no such conference (or not this account's), or no such endpoint",
    405: "the path does not take this method (see Allow)",
    422: "a parameter is missing or wrong; errors[].name names it",
    500: "something went wrong on our side; the message quotes the request id",
    501: "comes with the live room; not available yet",
}
Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def json_answer(schema: Json, description: str = "OK") -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_answers(*statuses: int) -> dict[str, Json]:
    return {str(s): json_answer(ref("Error"), ERRORS[s]) for s in (401, 500, *statuses)}


def form(properties: Json, required: tuple[str, ...] = ()) -> Json:
    schema: Json = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return {
        "required": bool(required),
        "content": {"application/x-www-form-urlencoded": {"schema": schema}},
    }


def string(description: str, **extra: Any) -> Json:
    return {"type": "string", "description": description, **extra}


FLAG = {"type": "string", "enum": ["0", "1"], "description": "1 (yes) or 0 (no)"}
ROOM_ID = {
    "name": "room_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 0, "maximum": 10**18 - 1},
}
PAGE = {
    "name": "page",
    "in": "query",
    "schema": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1, "default": 1},
    "description": "pages of 100 rooms, from 1",
}


def room_parameters(is_new: bool) -> Json:
    properties: Json = {
        "name": string("the room's name", minLength=1, maxLength=200),
        "room_type": {"type": "string", "enum": ["meeting", "webinar"]},
        "permanent_room": FLAG | {"description": "1 permanent, 0 scheduled"},
        "access_type": {
            "type": "string",
            "enum": ["1", "2", "3"],
            "description": "1 open, 2 password, 3 token",
        },
        "password": string("the room's password (access_type 2)", maxLength=64),
        "custom_room_url_name": string("the room's URL name", pattern="^[A-Za-z0-9_-]{1,60}$"),
        "lobby_enabled": FLAG,
        "lobby_description": string("shown in the lobby", maxLength=2000),
        "starts_at": string(
            "ISO 8601 with an offset, or wall time in `timezone` (2026-11-04 18:00:00); default now"
        ),
        "duration": string(f"h:mm (1:30), or whole hours up to {MAX_HOURS}"),
        "timezone": string("a name from time_zone_list", maxLength=64),
        "skin_id": string("an id from conferences/skins", pattern="^[0-9]{1,18}$"),
        "registration[enabled]": FLAG,
        "registration[template]": {"type": "string", "enum": ["1", "2", "3"]},
        **{f"settings[{name}]": FLAG for name in (*TOGGLE_DEFAULTS, "encryption_enabled")},
        "settings[phonegateway_enabled]": FLAG,
        "settings[recorder_autostart_enabled]": FLAG,
        "settings[thank_you_page_url]": string("where attendees go after", maxLength=2000),
    }
    if not is_new:
        properties["status"] = {"type": "string", "enum": ["active", "inactive"]}
    required = ("name", "room_type", "permanent_room", "access_type") if is_new else ()
    return form(properties, required)


def schemas() -> Json:
    flags = {name: {"type": "boolean"} for name in TOGGLE_DEFAULTS}
    room_keys = {
        "id": {"type": "integer"},
        "room_type": {"type": "string", "enum": ["meeting", "webinar"]},
        "room_pin": {"type": "integer"},
        "name": {"type": "string"},
        "name_url": {"type": "string"},
        "description": {"type": "string"},
        "access_type": {"type": "integer", "enum": [1, 2, 3]},
        "password": {"type": "string"},
        "lobby_enabled": {"type": "boolean"},
        "lobby_description": {"type": "string"},
        "registration_enabled": {"type": "integer", "enum": [0, 1]},
        "status": {"type": "string", "enum": ["active", "inactive"]},
        "timezone": {"type": "string"},
        "timezone_offset": {"type": "integer"},
        "created_at": {"type": "string"},
        "updated_at": {"type": "string"},
        "permanent_room": {"type": "boolean"},
        "access_role_hashes": {
            "type": "object",
            "properties": {r: {"type": "string"} for r in ("listener", "presenter", "host")},
        },
        "room_url": {"type": "string"},
        "phone_presenter_pin": {"type": "integer"},
        "phone_listener_pin": {"type": "integer"},
        "embed_room_url": {"type": "string"},
        "widgets_hash": {"type": "string"},
        "recorder_list": {"type": "array", "items": {}},
        "settings": {
            "type": "object",
            "properties": flags
            | {
                "phonegateway_enabled": {"type": "boolean"},
                "recorder_autostart_enabled": {"type": "boolean"},
                "thank_you_page_url": {"type": "string"},
            },
        },
        "autologin_hashes": {"type": "object", "properties": {"host": {"type": "string"}}},
        "autologin_hash": {"type": "string"},
    }
    scheduled = {
        "ccc": string("the start in UTC, Y-m-d H:i:s (scheduled rooms only)"),
        "starts_at": string("ISO 8601 in the room's zone (scheduled rooms only)"),
        "ends_at": string("ISO 8601 in the room's zone (scheduled rooms only)"),
    }
    nullable = {"type": ["string", "null"]}
    return {
        "Error": {
            "type": "object",
            "required": ["code", "name", "errors"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "integer"},
                "name": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "message"],
                        "properties": {"name": nullable, "message": {"type": "string"}},
                    },
                },
            },
        },
        "Room": {
            "type": "object",
            "required": list(room_keys),
            "properties": room_keys | scheduled,
        },
        "Token": {
            "type": "object",
            "required": ["token", "sent_to_email", "first_use_date"],
            "properties": {
                "token": {"type": "string"},
                "sent_to_email": nullable,
                "first_use_date": nullable,
            },
        },
        "Registration": {
            "type": "object",
            "required": ["id", "email", "fields", "url", "r"],
            "properties": {
                "id": {"type": "integer"},
                "visitor_nickname": {"type": "string"},
                "email": {"type": "string"},
                "registration_date": nullable,
                "registration_confirmed": nullable,
                "session_id": {"type": ["integer", "null"]},
                "fields": {"type": "object", "additionalProperties": {}},
                "url": {"type": "string"},
                "r": {"type": "string"},
            },
        },
        "Skin": {
            "type": "object",
            "required": ["id", "name", "thumbnail_url"],
            "properties": {k: {"type": "string"} for k in ("id", "name", "thumbnail_url")},
        },
        "PhoneGateway": {
            "type": "object",
            "required": ["code", "location", "value", "geo"],
            "properties": {k: {} for k in ("code", "location", "value", "geo")},
        },
    }


def operation(summary: str, ok: Json, *errors: int, **extra: Any) -> Json:
    status = str(extra.pop("status", 200))
    return {"summary": summary, "responses": {status: ok, **error_answers(*errors)}, **extra}


def array_of(name: str) -> Json:
    return {"type": "array", "items": ref(name)}


def keyed(key: str, schema: Json) -> Json:
    return {"type": "object", "required": [key], "properties": {key: schema}}
