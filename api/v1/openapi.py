"""The OpenAPI document of /v1/, served at ``/v1/openapi.json`` for integrators.

It describes ClickMeeting's wire format as Podium implements it, not FastAPI's view of the
routes (which take raw parameters): form-encoded bodies (JSON bodies and query strings work
too, ``api.v1.params``), bracketed names such as ``settings[phonegateway_enabled]`` spelled as
sent, booleans as ``1``/``0``, the room object key for key (``api.v1.objects``), and every
error as ``{"code", "name", "errors"}``. Built once, by hand; ``tests/fuzz`` fuzzes /v1 against
it, so a route that answers what this does not say fails the suite. The panel's docs do not
link it: the two APIs are separate contracts.
"""

from __future__ import annotations

from functools import cache
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


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: Json, description: str = "OK") -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Json]:
    return {str(s): _json(_ref("Error"), ERRORS[s]) for s in (401, 500, *statuses)}


def _form(properties: Json, required: tuple[str, ...] = ()) -> Json:
    schema: Json = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return {
        "required": bool(required),
        "content": {"application/x-www-form-urlencoded": {"schema": schema}},
    }


def _string(description: str, **extra: Any) -> Json:
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


def _room_parameters(is_new: bool) -> Json:
    properties: Json = {
        "name": _string("the room's name", minLength=1, maxLength=200),
        "room_type": {"type": "string", "enum": ["meeting", "webinar"]},
        "permanent_room": FLAG | {"description": "1 permanent, 0 scheduled"},
        "access_type": {
            "type": "string",
            "enum": ["1", "2", "3"],
            "description": "1 open, 2 password, 3 token",
        },
        "password": _string("the room's password (access_type 2)", maxLength=64),
        "custom_room_url_name": _string("the room's URL name", pattern="^[A-Za-z0-9_-]{1,60}$"),
        "lobby_enabled": FLAG,
        "lobby_description": _string("shown in the lobby", maxLength=2000),
        "starts_at": _string(
            "ISO 8601 with an offset, or wall time in `timezone` (2026-11-04 18:00:00); default now"
        ),
        "duration": _string(f"h:mm (1:30), or whole hours up to {MAX_HOURS}"),
        "timezone": _string("a name from time_zone_list", maxLength=64),
        "skin_id": _string("an id from conferences/skins", pattern="^[0-9]{1,18}$"),
        "registration[enabled]": FLAG,
        "registration[template]": {"type": "string", "enum": ["1", "2", "3"]},
        **{f"settings[{name}]": FLAG for name in (*TOGGLE_DEFAULTS, "encryption_enabled")},
        "settings[phonegateway_enabled]": FLAG,
        "settings[recorder_autostart_enabled]": FLAG,
        "settings[thank_you_page_url]": _string("where attendees go after", maxLength=2000),
    }
    if not is_new:
        properties["status"] = {"type": "string", "enum": ["active", "inactive"]}
    required = ("name", "room_type", "permanent_room", "access_type") if is_new else ()
    return _form(properties, required)


def _schemas() -> Json:
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
        "ccc": _string("the start in UTC, Y-m-d H:i:s (scheduled rooms only)"),
        "starts_at": _string("ISO 8601 in the room's zone (scheduled rooms only)"),
        "ends_at": _string("ISO 8601 in the room's zone (scheduled rooms only)"),
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


def _op(summary: str, ok: Json, *errors: int, **extra: Any) -> Json:
    status = str(extra.pop("status", 200))
    return {"summary": summary, "responses": {status: ok, **_errors(*errors)}, **extra}


def _list(name: str) -> Json:
    return {"type": "array", "items": _ref(name)}


def _keyed(key: str, schema: Json) -> Json:
    return {"type": "object", "required": [key], "properties": {key: schema}}


def _paths() -> Json:
    room = [ROOM_ID]
    ok = _keyed("status", {"type": "string", "enum": ["OK"]})
    registrations = _op("a conference's registrations", _json(_list("Registration")), 404, 422)
    registrations["parameters"] = room
    later = _op("comes with the live room", _json({}), 501)
    later_in_room = _op("comes with the live room", _json({}), 404, 501, parameters=room)
    status = {
        "name": "status",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": ["all", "active"]},
    }
    listing = {"parameters": [PAGE]}
    return {
        "/ping": {"get": _op("test the key", _json(_keyed("ping", {"const": "pong"})))},
        "/conferences": {
            "get": _op(
                "the active conferences under a key",
                _json(_keyed("active_conferences", _list("Room"))),
                422,
                **listing,
            ),
            "post": _op(
                "schedule a room, or open a permanent one",
                _json(_keyed("room", _ref("Room")), "Created"),
                400,
                422,
                status=201,
                requestBody=_room_parameters(is_new=True),
            ),
        },
        "/conferences/active": {
            "get": _op("upcoming, running, permanent", _json(_list("Room")), 422, **listing)
        },
        "/conferences/inactive": {
            "get": _op("ended or switched off", _json(_list("Room")), 422, **listing)
        },
        "/conferences/{room_id}": {
            "parameters": room,
            "get": _op("one conference", _json(_keyed("conference", _ref("Room"))), 404),
            "put": _op(
                "change any create parameter, and status",
                _json(_keyed("conference", _ref("Room"))),
                400,
                404,
                422,
                requestBody=_room_parameters(is_new=False),
            ),
            "delete": _op("delete it", _json(_keyed("result", {"const": "OK"})), 404),
        },
        "/conferences/skins": {"get": _op("room skins", _json(_list("Skin")))},
        "/conferences/{room_id}/room/autologin_hash": {
            "post": _op(
                "a hash that signs one person in (join at room_url?l=hash)",
                _json(_keyed("autologin_hash", {"type": "string"})),
                400,
                404,
                422,
                parameters=room,
                requestBody=_form(
                    {
                        "email": _string("who", format="email"),
                        "nickname": _string("shown name", maxLength=100),
                        "role": {"type": "string", "enum": ["listener", "presenter", "host"]},
                        "password": _string("the room's password, if it has one"),
                        "token": _string(
                            "an access token, for a token room (optional: without one the "
                            "person presents their token on entering)"
                        ),
                    },
                    ("email", "nickname", "role"),
                ),
            )
        },
        "/conferences/{room_id}/invitation/email/{lang}": {
            "post": _op(
                "email invitations (lang en or pl; others fall back to en)",
                _json(ok),
                400,
                404,
                422,
                parameters=[
                    ROOM_ID,
                    {"name": "lang", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                requestBody=_form(
                    {
                        "attendees[][email]": _string("repeat for each attendee"),
                        "role": {"type": "string", "enum": ["listener", "presenter"]},
                        "template": {"type": "string", "enum": ["basic", "advanced"]},
                    },
                    ("attendees[][email]",),
                ),
            )
        },
        "/conferences/{room_id}/tokens": {
            "parameters": room,
            "get": _op(
                "every token of the room", _json(_keyed("access_tokens", _list("Token"))), 404
            ),
            "post": _op(
                "new tokens for a token room",
                _json(_keyed("access_tokens", _list("Token"))),
                400,
                404,
                422,
                requestBody=_form(
                    {"how_many": _string("1 to 1000", pattern="^[0-9]+$")}, ("how_many",)
                ),
            ),
        },
        "/conferences/{room_id}/registration": {
            "post": _op(
                "register someone: registration[1] first name, [2] last name, [3] email",
                _json(ok),
                400,
                404,
                422,
                parameters=room,
                requestBody=_form(
                    {
                        "registration[1]": _string("first name"),
                        "registration[2]": _string("last name"),
                        "registration[3]": _string("email", format="email"),
                        "confirmation_email[enabled]": FLAG,
                        "confirmation_email[lang]": _string("en or pl"),
                    },
                    ("registration[1]", "registration[2]", "registration[3]"),
                ),
            )
        },
        "/conferences/{room_id}/registrations": {"get": registrations},
        "/conferences/{room_id}/registrations/{status}": {
            "get": registrations | {"parameters": [ROOM_ID, status]}
        },
        "/conferences/{room_id}/sessions": {"get": later_in_room},
        "/recordings": {"get": later},
        "/chats": {"get": later},
        "/file-library": {"get": later},
        "/time_zone_list": {
            "get": _op("every time zone", _json({"type": "array", "items": {"type": "string"}}))
        },
        "/time_zone_list/{country}": {
            "get": _op(
                "one country's time zones (ISO 3166 alpha-2, any case; none if unknown)",
                _json({"type": "array", "items": {"type": "string"}}),
                404,
                parameters=[
                    {
                        "name": "country",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
            )
        },
        "/phone_gateways": {"get": _op("dial-in numbers", _json(_list("PhoneGateway")))},
        "/contacts": {
            "post": _op(
                "save a contact; an existing email is updated",
                _json(ok),
                400,
                422,
                requestBody=_form(
                    {
                        "email": _string("the contact's email", format="email"),
                        "firstname": _string("first name", maxLength=100),
                        "lastname": _string("last name", maxLength=100),
                        "phone": _string("phone", maxLength=50),
                        "company": _string("company", maxLength=200),
                        "country": _string("ISO 3166 alpha-2", maxLength=2),
                    },
                    ("email", "firstname", "lastname"),
                ),
            )
        },
    }


@cache
def document() -> Json:
    """The /v1/ OpenAPI document (built once)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Podium: ClickMeeting-compatible API v1",
            "version": "1",
            "description": (
                "ClickMeeting's REST API v1 wire format as Podium serves it. Append a format "
                "to the last path segment (.json, the default; .xml, .js, .printr). Send "
                "parameters form-encoded (a JSON body or the query string work too); names "
                "with brackets are sent as written. Every error is JSON "
                '`{"code", "name", "errors": [{"name", "message"}]}`.'
            ),
        },
        "servers": [{"url": "/v1"}],
        "security": [{"ApiKey": []}],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        },
    }
