"""Answers of the public reference routes: plans, time zones, dial-in numbers."""

from __future__ import annotations

from typing import Any

from api.responses.base import Answer


class TimeZones(Answer):
    time_zones: list[str]


class CountryTimeZones(TimeZones):
    country: str


class DialInNumbers(Answer):
    dial_in_numbers: list[dict[str, Any]]


class TollFreeCost(Answer):
    attendees: int
    minutes: int
    rate_per_minute: int
    amount: int
    currency: str


class Catalogue(Answer):
    trial: dict[str, Any]
    plans: list[dict[str, Any]]
    currency: str
