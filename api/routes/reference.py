"""Reference data for scheduling: time zones by country, dial-in numbers, toll-free cost."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.responses.reference import CountryTimeZones, DialInNumbers, TimeZones, TollFreeCost
from domain.dial_in import DIAL_IN_NUMBERS, TOLL_FREE_RATE_PER_MINUTE, toll_free_cost
from domain.errors import NotFoundError
from domain.timezones import ALL_ZONES, COUNTRY_ZONES

router = APIRouter(tags=["reference"])


@router.get("/time-zones", response_model=TimeZones)
def time_zones() -> dict[str, Any]:
    """Every IANA time zone a room may be scheduled in."""
    return {"time_zones": list(ALL_ZONES)}


@router.get("/time-zones/{country}", response_model=CountryTimeZones)
def country_time_zones(
    country: Annotated[str, Path(pattern="^[A-Za-z]{2}$", examples=["PL"])],
) -> dict[str, Any]:
    """The time zones of one country (ISO 3166 alpha-2 code)."""
    zones = COUNTRY_ZONES.get(country.upper())
    if zones is None:
        raise NotFoundError(f"no time zones for country code {country!r}")
    return {"country": country.upper(), "time_zones": list(zones)}


@router.get("/dial-in-numbers", response_model=DialInNumbers)
def dial_in_numbers() -> dict[str, Any]:
    """The phone gateway's numbers by city, Ankara to Zürich."""
    return {"dial_in_numbers": [asdict(number) for number in DIAL_IN_NUMBERS]}


@router.get("/toll-free-cost", response_model=TollFreeCost)
def toll_free(
    attendees: Annotated[int, Query(ge=1, le=100_000)],
    minutes: Annotated[int, Query(ge=1, le=24 * 60)],
) -> dict[str, Any]:
    """What toll-free dial-in would cost: expected attendees times minutes times the rate."""
    cost = toll_free_cost(attendees, minutes)
    return {
        "attendees": attendees,
        "minutes": minutes,
        "rate_per_minute": TOLL_FREE_RATE_PER_MINUTE.amount,
        "amount": cost.amount,
        "currency": cost.currency,
    }
