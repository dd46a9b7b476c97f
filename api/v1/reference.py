"""Reference data and the address book: ping, skins, time zones, phone gateways, contacts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import PodiumDep
from api.v1.deps import CallerDep, IdemDep, ParamsDep, settle
from api.v1.formats import render
from domain.dial_in import DIAL_IN_NUMBERS
from domain.timezones import ALL_ZONES, COUNTRY_ZONES

router = APIRouter()

SKINS = (
    (1, "Podium Light", "podium_light"),
    (2, "Podium Dark", "podium_dark"),
    (3, "Business 1", "business_1"),
    (4, "Business 2", "business_2"),
    (5, "Education 1", "education_1"),
    (6, "Education 2", "education_2"),
)
SKIN_IDS = frozenset(skin_id for skin_id, _, _ in SKINS)


@router.get("/ping")
def ping(request: Request, who: CallerDep) -> Response:
    """``{"ping": "pong"}`` for a valid key (clients use it to test their key)."""
    return render(request, {"ping": "pong"})


@router.get("/conferences/skins")
def skins(request: Request, podium: PodiumDep, who: CallerDep) -> Response:
    """The room skins; ids are strings, as ClickMeeting sends them."""
    base = podium.settings.base_url
    return render(
        request,
        [
            {
                "id": str(skin_id),
                "name": name,
                "thumbnail_url": f"{base}/static/skins/{slug}/preview.png",
            }
            for skin_id, name, slug in SKINS
        ],
    )


@router.get("/time_zone_list")
def time_zones(request: Request, who: CallerDep) -> Response:
    """Every time zone a room may use."""
    return render(request, list(ALL_ZONES))


@router.get("/time_zone_list/{country}")
def country_time_zones(request: Request, who: CallerDep, country: str) -> Response:
    """The time zones of one country (ISO 3166 alpha-2, any case); none for an unknown code."""
    return render(request, list(COUNTRY_ZONES.get(country.strip().upper(), ())))


@router.get("/phone_gateways")
def phone_gateways(request: Request, who: CallerDep) -> Response:
    """The dial-in numbers: ``code`` (country), ``location`` (city), ``value``, ``geo``."""
    return render(request, [asdict(number) for number in DIAL_IN_NUMBERS])


@router.post("/contacts")
def add_contact(
    request: Request, podium: PodiumDep, who: CallerDep, params: ParamsDep, idem: IdemDep
) -> Response:
    """Save a contact in the address book; an existing email is updated."""
    email = params.email("email")
    details: dict[str, Any] = {
        "first_name": params.required("firstname", limit=100),
        "last_name": params.required("lastname", limit=100),
        "phone": params.text("phone", limit=50) or None,
        "company": params.text("company", limit=200) or None,
        "country": (params.text("country", limit=2) or "").upper() or None,
    }
    settle(podium, podium.contacts.save(who.account_id, str(email), details, idem))
    return render(request, {"status": "OK"})
