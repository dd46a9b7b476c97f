"""Joining under load: capacity holds in every session, leaving frees seats, one token is one
person, and sessions and seats are the same after a restart."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from uuid import UUID

from commands.accounts import Principal
from commands.join import JoinRequest
from domain.login import Role
from domain.room import AccessType, RoomSettings
from podium.bootstrap import Podium, bootstrap


def room(podium: Podium, **settings: object) -> tuple[UUID, UUID]:
    account = podium.accounts.sign_up("Org", "org@example.com", "password1", False, None)
    account_id = UUID(str(account.body["account_id"]))
    HOSTS[account_id] = Principal(UUID(str(account.body["login_id"])), account_id, Role.OWNER)
    result = podium.rooms.schedule(
        account_id, RoomSettings(name="Storm", permanent=True).changed(**settings)
    )
    return account_id, UUID(str(result.body["room_id"]))


HOSTS: dict[UUID, Principal] = {}  # each room's host, as an API key would name them


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


def storm(podium: Podium, room_id: UUID, prefix: str, people: int) -> list[str]:
    requests = [JoinRequest(f"{prefix}{n}", f"{prefix}{n}@example.com") for n in range(people)]
    with ThreadPoolExecutor(6) as pool:
        return list(pool.map(lambda r: attempt(podium, room_id, r), requests))


def test_each_session_of_a_permanent_room_fills_exactly_to_capacity(podium: Podium) -> None:
    """Two join storms, one per session: each session seats exactly its ten, 1 to 10."""
    account_id, room_id = room(podium, attendee_limit=10)
    podium.live.start(HOSTS[account_id], room_id)
    first = storm(podium, room_id, "a", 30)
    podium.live.end(HOSTS[account_id], room_id)
    second = storm(podium, room_id, "b", 30)
    for outcomes in (first, second):
        assert sorted(int(o) for o in outcomes if o.isdigit()) == list(range(1, 11))
        assert all("the event is full" in o for o in outcomes if not o.isdigit())
    podium.projector.catch_up()
    rows = podium.views.rooms.admissions(str(room_id))
    assert sorted(row["session"] for row in rows) == [1] * 10 + [2] * 10


def test_leaves_racing_joins_never_seat_more_than_capacity(podium: Podium) -> None:
    """Five of ten leave while twenty newcomers race in: ten at most are seated, never two on a
    seat, and once the leaves are in, the free seats go to exactly as many newcomers."""
    _, room_id = room(podium, attendee_limit=10)
    seated = [
        podium.join.admit(room_id, JoinRequest(f"s{n}", f"s{n}@example.com")).body
        for n in range(10)
    ]
    leavers = [body["credential"] for body in seated[:5]]
    newcomers = [JoinRequest(f"n{n}", f"n{n}@example.com") for n in range(20)]

    def act(item: str | JoinRequest) -> str:
        if isinstance(item, str):
            podium.live.leave(room_id, item)
            return "left"
        return attempt(podium, room_id, item)

    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(act, [*leavers, *newcomers]))
    taken = [int(o) for o in outcomes if o.isdigit()]
    assert len(taken) <= 5
    kept = [int(body["seat"]) for body in seated[5:]]
    assert len(set(taken + kept)) == len(taken) + len(kept)  # no seat held twice
    late = storm(podium, room_id, "late", 10)
    assert sorted(taken + kept + [int(o) for o in late if o.isdigit()]) == list(range(1, 11))


def test_sessions_and_seats_survive_a_restart(podium: Podium) -> None:
    """Started again on the same store, Podium knows the session and who holds which seat."""
    account_id, room_id = room(podium, attendee_limit=2)
    podium.live.start(HOSTS[account_id], room_id)
    ann = podium.join.admit(room_id, JoinRequest("Ann", "ann@example.com")).body
    podium.join.admit(room_id, JoinRequest("Bob", "bob@example.com"))
    podium.live.leave(room_id, ann["credential"])
    podium.projector.catch_up()
    shown = podium.views.live_sessions.sessions(str(room_id))
    again = bootstrap(podium.settings, clock=podium.clock, gateway=podium.gateway)
    try:
        cara = again.join.admit(room_id, JoinRequest("Cara", "cara@example.com")).body
        assert (cara["session"], cara["seat"]) == (1, ann["seat"])
        outcome = attempt(again, room_id, JoinRequest("Dan", "dan@example.com"))
        assert "the event is full" in outcome
        again.projector.catch_up()
        assert again.views.live_sessions.sessions(str(room_id)) == shown
        ended = again.live.end(HOSTS[account_id], room_id).body
        assert (ended["session"], ended["live"]) == (1, False)
    finally:
        again.close()
