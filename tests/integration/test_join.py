"""Joining under load: capacity holds, nobody is lost, one token is one person."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

from commands.join import JoinRequest
from domain.room import AccessType, RoomSettings
from podium.bootstrap import Podium


def room(podium: Podium, **settings: object) -> tuple[UUID, UUID]:
    account = podium.accounts.sign_up("Org", "org@example.com", "password1", False, None)
    account_id = UUID(str(account.body["account_id"]))
    result = podium.rooms.schedule(
        account_id, RoomSettings(name="Storm", permanent=True).changed(**settings)
    )
    return account_id, UUID(str(result.body["room_id"]))


def attempt(podium: Podium, room_id: UUID, request: JoinRequest) -> str:
    try:
        return str(podium.join.admit(room_id, request).body["seat"])
    except Exception as error:  # each refusal is an outcome this test counts
        return f"{type(error).__name__}: {error}"


def test_a_join_storm_fills_the_room_exactly_to_capacity(podium: Podium) -> None:
    """Forty people racing for ten seats: ten get distinct seats, thirty hear it is full."""
    _, room_id = room(podium, attendee_limit=10)
    requests = [JoinRequest(f"p{n}", f"p{n}@example.com") for n in range(40)]
    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(lambda r: attempt(podium, room_id, r), requests))
    seats = [o for o in outcomes if o.isdigit()]
    assert sorted(int(s) for s in seats) == list(range(1, 11))
    assert all("the event is full" in o for o in outcomes if not o.isdigit())
    podium.projector.catch_up()
    assert len(podium.views.rooms.admissions(str(room_id))) == 10


def test_coming_back_takes_no_second_seat(podium: Podium) -> None:
    """A person who joins twice keeps one seat, and the room counts one admission."""
    _, room_id = room(podium, attendee_limit=1)
    first = podium.join.admit(room_id, JoinRequest("Ann", "ann@example.com"))
    again = podium.join.admit(room_id, JoinRequest("Ann", "ann@example.com"))
    assert first.body["seat"] == again.body["seat"] == 1


def test_racing_for_one_token_admits_one_person(podium: Podium) -> None:
    """Six people presenting one token at once: exactly one gets in."""
    account_id, room_id = room(podium, access_type=AccessType.TOKEN)
    [token] = podium.access.generate_tokens(account_id, room_id, 1).body["tokens"]
    requests = [JoinRequest(f"p{n}", f"p{n}@example.com", token=token) for n in range(6)]
    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(lambda r: attempt(podium, room_id, r), requests))
    assert sum(o.isdigit() for o in outcomes) == 1
    assert all("already been used" in o for o in outcomes if not o.isdigit())
