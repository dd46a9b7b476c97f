"""Room configuration rules and the access aggregates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.access import AccessRefusedError, AccessToken, Invitation
from domain.dial_in import DIAL_IN_NUMBERS, toll_free_cost
from domain.errors import InvalidRequestError, LimitExceededError
from domain.plans import PLANS, TRIAL_LIMITS
from domain.room import (
    PHONE_GATEWAY_WARNING,
    AccessType,
    FormField,
    Room,
    RoomSettings,
    RoomType,
    check,
    slugify,
    warnings,
)
from domain.timezones import ALL_ZONES, COUNTRY_ZONES

NOW = datetime(2026, 10, 15, 9, tzinfo=UTC)
LATER = NOW + timedelta(days=2)
PAID = PLANS["live-100"].limits


def scheduled(**changes: object) -> RoomSettings:
    return RoomSettings(name="Launch", starts_at=LATER).changed(**changes)


def test_a_plain_scheduled_webinar_passes() -> None:
    """A named room with a future start and a sane duration is accepted."""
    check(scheduled(), PAID, NOW, is_new=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_at": NOW - timedelta(minutes=1)}, "in the past"),
        ({"starts_at": None}, "needs starts_at"),
        ({"duration_minutes": 4}, "duration"),
        ({"access_type": AccessType.PASSWORD}, "needs a password"),
        ({"name": "x" * 201}, "name must be at most 200"),
        ({"name": "   "}, "must not be empty"),
        ({"thank_you_page_url": "javascript:alert(1)"}, "http(s) URL"),
        ({"registration_fields": (FormField("Size", "select"),)}, "needs options"),
        ({"registration_fields": (FormField("Odd", "colour"),)}, "is not one of"),
    ],
)
def test_each_bad_configuration_is_refused_with_its_reason(
    changes: dict[str, object], message: str
) -> None:
    """Every rule the issue lists refuses with a message naming what is wrong."""
    with pytest.raises(InvalidRequestError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check(scheduled(**changes), PAID, NOW, is_new=True)


def test_token_access_with_the_phone_gateway_is_accepted_with_a_warning() -> None:
    """The pair passes the rules (ClickMeeting's own example asks for it) and is warned about."""
    both = scheduled(access_type=AccessType.TOKEN, phone_gateway=True)
    check(both, PAID, NOW, is_new=True)
    assert warnings(both.access_type, both.phone_gateway) == [PHONE_GATEWAY_WARNING]
    assert "listener PIN" in PHONE_GATEWAY_WARNING
    assert "turn one of them off" in PHONE_GATEWAY_WARNING


@pytest.mark.parametrize(
    ("access_type", "phone_gateway"),
    [(AccessType.TOKEN, False), (AccessType.OPEN, True), (AccessType.PASSWORD, True)],
)
def test_no_warning_without_both_token_access_and_the_phone_gateway(
    access_type: AccessType, phone_gateway: bool
) -> None:
    """Only token access together with the phone gateway is worth a warning."""
    assert warnings(access_type, phone_gateway) == []


def test_a_meeting_holds_25_attendees_and_5_on_the_trial() -> None:
    """Meetings cap attendees at 25 on any plan, and at 5 on the free trial."""
    check(scheduled(room_type=RoomType.MEETING, attendee_limit=25), PAID, NOW, is_new=True)
    with pytest.raises(LimitExceededError, match="at most 25"):
        check(scheduled(room_type=RoomType.MEETING, attendee_limit=26), PAID, NOW, is_new=True)
    with pytest.raises(LimitExceededError, match="at most 5"):
        check(
            scheduled(room_type=RoomType.MEETING, attendee_limit=6), TRIAL_LIMITS, NOW, is_new=True
        )


def test_an_attendee_limit_above_the_plan_is_refused() -> None:
    """A webinar cannot promise more seats than the plan has."""
    with pytest.raises(LimitExceededError, match="at most 100"):
        check(scheduled(attendee_limit=101), PAID, NOW, is_new=True)


def test_permanent_rooms_need_no_start() -> None:
    """A permanent room has no schedule to check."""
    check(RoomSettings(name="Always open", permanent=True), PAID, NOW, is_new=True)


def test_settings_survive_the_round_trip_through_an_event() -> None:
    """as_state/from_state keeps every setting, custom fields included."""
    settings = scheduled(
        registration_enabled=True,
        registration_fields=(FormField("Size", "select", True, ("S", "M")),),
        access_type=AccessType.PASSWORD,
        password="open sesame",
    )
    assert RoomSettings.from_state(settings.as_state()) == settings


def test_an_edit_records_only_what_changed() -> None:
    """Editing the name alone produces an event holding just the name."""
    room = Room(uuid4(), "launch", scheduled().as_state(), {}, NOW)
    changed = room.edit(room.settings.changed(name="Relaunch"), PAID, NOW)
    assert changed == {"name": "Relaunch"}
    assert room.settings.name == "Relaunch"
    assert room.edit(room.settings, PAID, NOW) == {}


def test_a_token_lets_in_one_person_only() -> None:
    """The first email to present a token owns it; the same person may return, nobody else."""
    token = AccessToken(uuid4(), "G986DW", NOW)
    token.use("Ann@example.com", NOW)
    token.use("ann@example.com", NOW)
    with pytest.raises(AccessRefusedError, match="already been used"):
        token.use("bob@example.com", NOW)
    token.deactivate(NOW)
    with pytest.raises(AccessRefusedError, match="deactivated"):
        token.use("ann@example.com", NOW)


def test_an_invitation_keeps_its_token_across_resends() -> None:
    """Re-sending counts the sends and keeps the invitee's token."""
    invitation = Invitation(uuid4(), "ann@example.com", "listener", "en", "basic", NOW)
    invitation.give_token("ABC234", NOW)
    invitation.resend(NOW)
    assert (invitation.sends, invitation.token) == (2, "ABC234")


def test_slugs_are_url_safe() -> None:
    """Room names become lower-case dash-separated URL names."""
    assert slugify("Q&A: Launch 2026!") == "q-a-launch-2026"
    assert slugify("!!!") == "room"


def test_reference_data_covers_the_help_centre() -> None:
    """Time zones by country and dial-in numbers from Ankara to Zürich are there."""
    assert "Europe/Moscow" in COUNTRY_ZONES["RU"]
    assert "UTC" in ALL_ZONES
    cities = [n.location for n in DIAL_IN_NUMBERS]
    assert cities[0] == "Ankara"
    assert cities[-1] == "Zürich"
    assert toll_free_cost(10, 60).amount == 10 * 60 * 12
