"""The Statistics tab's answer (api.routes.statistics; decision 0028). Each table's rows carry
the columns ``projections.statistics.view.COLUMNS`` lists (the CSV's header)."""

from __future__ import annotations

from api.responses.base import Answer


class Totals(Answer):
    events: int
    sessions: int
    attendees: int
    phone_minutes: int


class MonthRow(Answer):
    month: str  # YYYY-MM
    events: int
    sessions: int


class RoomTypeRow(Answer):
    room_type: str
    events: int


class CountedRow(Answer):
    """A country, device, browser or system (the table's own key) and its attendees."""

    attendees: int


class AttendeeRow(Answer):
    """email, room_id, room_name, session, seconds_present, browser, os, device, country,
    rating, poll_answers, poll_points."""

    room_id: str
    session: int
    seconds_present: int


class PhoneRow(Answer):
    """room_id, room_name, session, calls, minutes, toll_free_calls, toll_free_minutes."""

    room_id: str
    session: int
    calls: int
    minutes: int


class Statistics(Answer):
    totals: Totals
    events_per_month: list[MonthRow]
    room_types: list[RoomTypeRow]
    countries: list[CountedRow]
    devices: list[CountedRow]
    browsers: list[CountedRow]
    systems: list[CountedRow]
    attendees: list[AttendeeRow]
    phone: list[PhoneRow]
    as_of: str | None  # the instant asked for, or null: now
    position: int  # the log position the answer is complete up to
