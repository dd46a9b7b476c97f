"""Who gets in: autologin hashes, email invitations, access tokens, registrations.

Invitation and confirmation mails go out in English or Polish (Podium's templates); any other
language a client names (ClickMeeting examples use ``us`` and ``ru``) falls back to English.
A registration is for the room, not one session (``session_id`` is null in the room's list);
a session's list holds the room's registrations made before that session ended, with its id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import PodiumDep
from api.v1.deps import CallerDep, IdemDep, ParamsDep, RoomDep, room_uuid, settle
from api.v1.errors import V1Error
from api.v1.fields import EMAIL, Params, as_list, whole_number
from api.v1.formats import render
from api.v1.objects import registration_object, token_object, zone
from api.v1.sessions import owned_session
from commands.mail import LANGUAGES
from domain.errors import RuleViolationError
from podium.bootstrap import Podium

router = APIRouter(prefix="/conferences/{room_id:number}")
STATUSES = ("all", "active")


def language(lang: str | None) -> str:
    code = (lang or "en").strip().lower()
    return code if code in LANGUAGES else "en"


@router.post("/room/autologin_hash")
def autologin_hash(
    request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep, params: ParamsDep
) -> Response:
    """A hash that signs one person in with a role (ClickMeeting joins at ``room_url?l=hash``)."""
    email = params.email("email")
    nickname = params.required("nickname", limit=100)
    role = params.choice("role", ("listener", "presenter", "host"))
    if role is None:
        raise params.invalid("role", "is required (listener, presenter or host)")
    result = podium.join.autologin_hash(
        who.account_id,
        room_uuid(row),
        str(email),
        nickname,
        role,
        password=params.text("password"),
        token=params.text("token"),
    )
    settle(podium, result)
    return render(request, {"autologin_hash": result.body["autologin_hash"]})


def _attendees(params: Params) -> list[str]:
    emails = []
    for n, item in enumerate(as_list(params.raw("attendees"))):
        value = item.get("email") if isinstance(item, dict) else item
        if not isinstance(value, str) or not EMAIL.match(value.strip()):
            name = f"attendees[{n}][email]"
            raise V1Error(422, f"{name} is not a valid email address", name)
        emails.append(value.strip())
    if not emails:
        raise params.invalid("attendees", "is required: a list of {email}")
    return emails


@router.post("/invitation/email/{lang}")
def invite(
    request: Request,
    podium: PodiumDep,
    who: CallerDep,
    row: RoomDep,
    params: ParamsDep,
    idem: IdemDep,
    lang: str,
) -> Response:
    """Email invitations (``attendees``, ``role``, ``template``): ``{"status": "OK"}``."""
    emails = _attendees(params)
    role = params.choice("role", ("listener", "presenter"), default="listener")
    template = params.choice("template", ("basic", "advanced"), default="basic")
    result = podium.access.invite(
        who.account_id, room_uuid(row), emails, [], str(role), language(lang), str(template), idem
    )
    settle(podium, result)
    return render(request, {"status": "OK"})


@router.post("/tokens")
def generate_tokens(
    request: Request,
    podium: PodiumDep,
    who: CallerDep,
    row: RoomDep,
    params: ParamsDep,
    idem: IdemDep,
) -> Response:
    """``how_many`` new tokens for a token-access room: ``{"access_tokens": [...]}``."""
    how_many = params.integer("how_many", low=1, high=1000)
    if how_many is None:
        raise params.invalid("how_many", "is required (1 to 1000)")
    result = podium.access.generate_tokens(who.account_id, room_uuid(row), how_many, idem)
    settle(podium, result)
    fresh = [
        {"token": t, "sent_to_email": None, "first_use_date": None} for t in result.body["tokens"]
    ]
    return render(request, {"access_tokens": fresh})


@router.get("/tokens")
def tokens(request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep) -> Response:
    """Every token of the room, with who it was sent to and when it was first used."""
    tz = zone(str(row["timezone"]))
    rows = podium.views.rooms.tokens(str(row["room_id"]))
    return render(request, {"access_tokens": [token_object(t, tz) for t in rows]})


def _answers(row: dict[str, Any], registration: Params) -> dict[str, Any]:
    """Custom fields: ``registration[4]`` is the form's first custom field, and so on."""
    form = row["settings"]["registration_fields"]
    answers: dict[str, Any] = {}
    for key in registration.names():
        if key in ("1", "2", "3"):
            continue
        number = whole_number(key)
        index = number - 4 if number is not None else -1
        if not 0 <= index < len(form):
            raise registration.invalid(key, "is not a field of this room's registration form")
        answers[form[index]["label"]] = registration.text(key, limit=2000)
    return answers


@router.post("/registration")
def register(
    request: Request,
    podium: PodiumDep,
    who: CallerDep,
    row: RoomDep,
    params: ParamsDep,
    idem: IdemDep,
) -> Response:
    """Register someone: ``registration[1]`` first name, ``[2]`` last name, ``[3]`` email."""
    form = params.section("registration")
    first, last = form.required("1", limit=100), form.required("2", limit=100)
    email = str(form.email("3"))
    answers = _answers(row, form)
    confirmation = params.section("confirmation_email")
    try:
        result = podium.access.register(
            room_uuid(row),
            first,
            last,
            email,
            answers,
            language(confirmation.text("lang")),
            bool(confirmation.flag("enabled")),
            idem,
        )
    except RuleViolationError:
        # Registered before: the same answer again (the list is read only on this path).
        code = _existing_code(podium, row, email)
        if code is None:
            raise
    else:
        code = str(settle(podium, result).body["r"])
    url = f"{podium.public_room_url(str(row['account_id']), str(row['name_url']))}?r={code}"
    return render(request, {"status": "OK", "exist": 1, "url": url, "r": code})


def _existing_code(podium: Podium, row: dict[str, Any], email: str) -> str | None:
    for registration in podium.views.rooms.registrations(str(row["room_id"])):
        if registration["email"] == email.lower():
            return str(registration["code"])
    return None


def _registrations(
    podium: Podium, row: dict[str, Any], status: str, session: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    if status not in STATUSES:
        raise V1Error(422, "the status must be all or active", "status")
    rows = podium.views.rooms.registrations(str(row["room_id"]), status)
    if session is None:
        return [registration_object(podium, row, r) for r in rows]
    ended = session["ended_at"]
    before = [r for r in rows if ended is None or _at(r["registered_at"]) <= _at(ended)]
    return [registration_object(podium, row, r, session["session_ref"]) for r in before]


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


@router.get("/registrations")
@router.get("/registrations/{status}")
def registrations(
    request: Request, podium: PodiumDep, who: CallerDep, row: RoomDep, status: str = "all"
) -> Response:
    """The room's registrations (``all`` or ``active``), as an array."""
    return render(request, _registrations(podium, row, status))


@router.get("/sessions/{session_id:number}/registrations")
@router.get("/sessions/{session_id:number}/registrations/{status}")
@router.get("/sessions{session_id:number}/registrations")
@router.get("/sessions{session_id:number}/registrations/{status}")
def session_registrations(
    request: Request,
    podium: PodiumDep,
    who: CallerDep,
    row: RoomDep,
    session_id: int,
    status: str = "all",
) -> Response:
    """Registrations of one session (also at ``sessions{sid}``, the example clients' typo)."""
    session = owned_session(podium, row, session_id)
    return render(request, _registrations(podium, row, status, session))
