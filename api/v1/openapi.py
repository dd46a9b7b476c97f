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

from api.v1.openapi_parts import (
    FLAG,
    PAGE,
    ROOM_ID,
    Json,
    array_of,
    form,
    json_answer,
    keyed,
    operation,
    ref,
    room_parameters,
    schemas,
    string,
)
from domain.session_report import REPORT_LANGUAGES

OBJECTS: Json = {"type": "array", "items": {"type": "object"}}
SESSION_ID: Json = {
    "name": "session_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}
REPORT_LANGUAGE: Json = {
    "name": "lang",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": list(REPORT_LANGUAGES)},
}


def _paths() -> Json:
    room = [ROOM_ID]
    ok = keyed("status", {"type": "string", "enum": ["OK"]})
    registrations = operation(
        "a conference's registrations", json_answer(array_of("Registration")), 404, 422
    )
    registrations["parameters"] = room
    later = operation("comes with the live room", json_answer({}), 501)
    status = {
        "name": "status",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": ["all", "active"]},
    }
    listing = {"parameters": [PAGE]}
    return {
        "/ping": {"get": operation("test the key", json_answer(keyed("ping", {"const": "pong"})))},
        "/conferences": {
            "get": operation(
                "the active conferences under a key",
                json_answer(keyed("active_conferences", array_of("Room"))),
                422,
                **listing,
            ),
            "post": operation(
                "schedule a room, or open a permanent one",
                json_answer(keyed("room", ref("Room")), "Created"),
                400,
                422,
                status=201,
                requestBody=room_parameters(is_new=True),
            ),
        },
        "/conferences/active": {
            "get": operation(
                "upcoming, running, permanent", json_answer(array_of("Room")), 422, **listing
            )
        },
        "/conferences/inactive": {
            "get": operation("ended or switched off", json_answer(array_of("Room")), 422, **listing)
        },
        "/conferences/{room_id}": {
            "parameters": room,
            "get": operation("one conference", json_answer(keyed("conference", ref("Room"))), 404),
            "put": operation(
                "change any create parameter, and status",
                json_answer(keyed("conference", ref("Room"))),
                400,
                404,
                422,
                requestBody=room_parameters(is_new=False),
            ),
            "delete": operation("delete it", json_answer(keyed("result", {"const": "OK"})), 404),
        },
        "/conferences/skins": {"get": operation("room skins", json_answer(array_of("Skin")))},
        "/conferences/{room_id}/room/autologin_hash": {
            "post": operation(
                "a hash that signs one person in (join at room_url?l=hash)",
                json_answer(keyed("autologin_hash", {"type": "string"})),
                400,
                404,
                422,
                parameters=room,
                requestBody=form(
                    {
                        "email": string("who", format="email"),
                        "nickname": string("shown name", maxLength=100),
                        "role": {"type": "string", "enum": ["listener", "presenter", "host"]},
                        "password": string("the room's password, if it has one"),
                        "token": string(
                            "an access token, for a token room (optional: without one the "
                            "person presents their token on entering)"
                        ),
                    },
                    ("email", "nickname", "role"),
                ),
            )
        },
        "/conferences/{room_id}/invitation/email/{lang}": {
            "post": operation(
                "email invitations (lang en or pl; others fall back to en)",
                json_answer(ok),
                400,
                404,
                422,
                parameters=[
                    ROOM_ID,
                    {"name": "lang", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                requestBody=form(
                    {
                        "attendees[][email]": string("repeat for each attendee"),
                        "role": {"type": "string", "enum": ["listener", "presenter"]},
                        "template": {"type": "string", "enum": ["basic", "advanced"]},
                    },
                    ("attendees[][email]",),
                ),
            )
        },
        "/conferences/{room_id}/tokens": {
            "parameters": room,
            "get": operation(
                "every token of the room",
                json_answer(keyed("access_tokens", array_of("Token"))),
                404,
            ),
            "post": operation(
                "new tokens for a token room",
                json_answer(keyed("access_tokens", array_of("Token"))),
                400,
                404,
                422,
                requestBody=form(
                    {"how_many": string("1 to 1000", pattern="^[0-9]+$")}, ("how_many",)
                ),
            ),
        },
        "/conferences/{room_id}/registration": {
            "post": operation(
                "register someone: registration[1] first name, [2] last name, [3] email",
                json_answer(ok),
                400,
                404,
                422,
                parameters=room,
                requestBody=form(
                    {
                        "registration[1]": string("first name"),
                        "registration[2]": string("last name"),
                        "registration[3]": string("email", format="email"),
                        "confirmation_email[enabled]": FLAG,
                        "confirmation_email[lang]": string("en or pl"),
                    },
                    ("registration[1]", "registration[2]", "registration[3]"),
                ),
            )
        },
        "/conferences/{room_id}/registrations": {"get": registrations},
        "/conferences/{room_id}/registrations/{status}": {
            "get": registrations | {"parameters": [ROOM_ID, status]}
        },
        "/conferences/{room_id}/sessions": {
            "get": operation(
                "the conference's sessions: id, total_visitors, max_visitors, start_date, end_date",
                json_answer(OBJECTS),
                404,
                parameters=room,
            )
        },
        "/conferences/{room_id}/sessions/{session_id}": {
            "get": operation(
                "one session: its counters, attendees and pdf per language",
                json_answer({"type": "object"}),
                404,
                parameters=[ROOM_ID, SESSION_ID],
            )
        },
        "/conferences/{room_id}/sessions/{session_id}/attendees": {
            "get": operation(
                "who attended: uid, role, nickname, email, device, rating, rating_comment, "
                "start_date, end_date, user_ip",
                json_answer(OBJECTS),
                404,
                parameters=[ROOM_ID, SESSION_ID],
            )
        },
        "/conferences/{room_id}/sessions/{session_id}/generate-pdf/{lang}": {
            "get": operation(
                "ask for the session's PDF report (once) and answer its status: NEW or "
                "IN PROGRESS with progress 0, then FINISHED with url and progress 100",
                json_answer({"type": "object"}),
                404,
                422,
                parameters=[ROOM_ID, SESSION_ID, REPORT_LANGUAGE],
            )
        },
        "/conferences/{room_id}/sessions/{session_id}/pdf/{lang}": {
            "get": operation(
                "the finished PDF report (the url generate-pdf answers)",
                {"description": "OK", "content": {"application/pdf": {}}},
                404,
                422,
                parameters=[ROOM_ID, SESSION_ID, REPORT_LANGUAGE],
            )
        },
        "/recordings": {"get": later},
        "/chats": {
            "get": operation(
                "sessions with a chat history: id, name, time_zone, date, time, download_link",
                json_answer(OBJECTS),
            )
        },
        "/chats/{session_id}": {
            "get": operation(
                "a session's chat history as a zip of text",
                {"description": "OK", "content": {"application/zip": {}}},
                404,
                parameters=[SESSION_ID],
            )
        },
        "/file-library": {"get": later},
        "/time_zone_list": {
            "get": operation(
                "every time zone", json_answer({"type": "array", "items": {"type": "string"}})
            )
        },
        "/time_zone_list/{country}": {
            "get": operation(
                "one country's time zones (ISO 3166 alpha-2, any case; none if unknown)",
                json_answer({"type": "array", "items": {"type": "string"}}),
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
        "/phone_gateways": {
            "get": operation("dial-in numbers", json_answer(array_of("PhoneGateway")))
        },
        "/contacts": {
            "post": operation(
                "save a contact; an existing email is updated",
                json_answer(ok),
                400,
                422,
                requestBody=form(
                    {
                        "email": string("the contact's email", format="email"),
                        "firstname": string("first name", maxLength=100),
                        "lastname": string("last name", maxLength=100),
                        "phone": string("phone", maxLength=50),
                        "company": string("company", maxLength=200),
                        "country": string("ISO 3166 alpha-2", maxLength=2),
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
            "schemas": schemas(),
            "securitySchemes": {"ApiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}},
        },
    }
