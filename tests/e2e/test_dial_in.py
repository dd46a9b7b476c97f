"""Dial-in over the telephony webhook: PINs, menus, retries, signatures, records (section 5)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from commands.rooms import new_secrets
from commands.unit_of_work import Outcome, Result, UnitOfWork
from domain.room import Room, RoomSettings
from podium.bootstrap import Podium
from podium.clock import ManualClock
from tests.e2e.dial_in import (
    LOCAL,
    SECRET,
    TOLL_FREE,
    Phone,
    call_records,
    phone_room,
    signed,
    spoken,
    then,
)
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner
from tests.e2e.rooms import join
from tests.e2e.test_live_sessions import sessions, start
from tests.integration.test_cli import run_podium


@pytest.fixture(autouse=True)
def gateway_on(podium: Podium) -> None:
    """The deployment shares a secret with its telephony provider."""
    podium.settings.telephony_secret = SECRET


def admissions(client: TestClient, owner: Caller, room: Json) -> list[Json]:
    path = f"/rooms/{room['room_id']}/admissions"
    rows: list[Json] = expect(client.get(path, headers=owner.headers), 200)["admissions"]
    return rows


def test_a_presenter_and_a_listener_call_in_and_run_the_event_from_the_dial_pad(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """The listener PIN and the presenter PIN each find their room and role; callers wait with
    music, show in presence on seats, # counts them, 7 starts, 8 locks and unlocks, 9 ends for
    all and hangs up; the ended call gives its seat back; the records list both calls."""
    owner = trial_owner(client, "owner@example.com")
    room = phone_room(client, owner)
    listener = Phone(client, podium, "CA-listener", "+48 600 100 201")
    presenter = Phone(client, podium, "CA-presenter", "+48 600 100 202")

    welcome = listener.dial()
    assert then(welcome) == {"action": "input", "type": "pin"}
    joined = listener.pin(room["phone_listener_pin"])
    assert joined["state"]["role"] == "listener"
    assert "has not started" in spoken(joined)
    assert {"action": "music", "on": True} in joined["actions"]
    presenter.dial()
    assert presenter.pin(room["phone_presenter_pin"])["state"]["role"] == "presenter"
    expect(join(client, room, "ann@example.com"), 200)

    present = admissions(client, owner, room)
    phones = [a for a in present if a["via"] == "phone"]
    assert sorted(a["role"] for a in phones) == ["listener", "presenter"]
    assert all("…020" in a["nickname"] and "@" not in a["email"] for a in phones)
    assert spoken(presenter.press("#")) == "3 participants are in the event."

    assert "started" in spoken(presenter.press("7"))
    assert sessions(client, owner, room)[0]["live"] is True
    assert spoken(presenter.press("8")) == "The room is locked."
    assert "locked" in problem(join(client, room, "ben@example.com"), 403)["detail"]
    assert spoken(presenter.press("8")) == "The room is unlocked."
    assert listener.press("4")["state"]["music"] is False

    clock.advance(timedelta(minutes=3))
    listener.hang_up()
    rows = {a["via"]: a for a in admissions(client, owner, room) if a["role"] == "listener"}
    assert rows["phone"]["left_at"] is not None
    clock.advance(timedelta(minutes=2))
    ended = presenter.press("9")
    assert then(ended) == {"action": "hangup"}
    assert sessions(client, owner, room)[0]["ended_how"] == "ended_for_all"
    assert then(presenter.press("0")) == {"action": "hangup"}  # over: goodbye, nothing done

    records = call_records(client, owner, room)
    by_id = {c["call_id"]: c for c in records["calls"]}
    assert by_id["CA-listener"]["duration_seconds"] == 180
    assert by_id["CA-listener"]["caller"] == "+48 600 100 201"
    assert by_id["CA-listener"]["gateway"] == LOCAL
    # Still connected when the event ended: counted up to the end, not beyond.
    assert by_id["CA-presenter"]["duration_seconds"] == 300
    assert all(c["toll_free"] is False and c["cost"] == 0 for c in by_id.values())


def test_a_retried_delivery_answers_its_first_answer_and_appends_nothing(
    client: TestClient, podium: Podium
) -> None:
    """The provider sends the same delivery again (same event_id and body): the same answer,
    marked replayed, and the log does not grow, for a start, a PIN and a key alike; the lock
    key, retried, does not unlock again."""
    owner = trial_owner(client, "owner@example.com")
    room = phone_room(client, owner)
    phone = Phone(client, podium, "CA-retry", "+48 600 100 300")
    start(client, owner, room)  # a session to lock
    for body in (
        phone.body("call.started", **{"from": phone.number, "to": LOCAL}),
        phone.body("call.pin", digits=str(room["phone_presenter_pin"])),
        phone.body("call.digit", digits="8"),
    ):
        first = phone.deliver(body)
        before = head(podium)
        again = phone.deliver(body)
        assert again.status_code == first.status_code, again.text
        assert again.json() == first.json()
        assert again.headers.get("Idempotent-Replayed") == "true"
        assert head(podium) == before
    assert len(admissions(client, owner, room)) == 1  # admitted once, one seat
    assert "locked" in problem(join(client, room, "ann@example.com"), 403)["detail"]


def test_a_badly_signed_delivery_is_refused_and_writes_nothing(
    client: TestClient, podium: Podium
) -> None:
    """Another secret, a body changed after signing, a stale or missing timestamp: each a
    401/403 problem saying what is wrong, and nothing is appended."""
    owner = trial_owner(client, "owner@example.com")
    phone_room(client, owner)
    phone = Phone(client, podium, "CA-forged", "+48 600 100 400")
    body = phone.body("call.started", **{"from": phone.number, "to": LOCAL})
    now = int(podium.clock.now().timestamp())
    before = head(podium)

    def post(content: bytes, headers: dict[str, str]) -> Response:
        answer: Response = client.post("/telephony/calls", content=content, headers=headers)
        return answer

    wrong = problem(post(body, signed(body, now, "another-secret-of-16+")), 403)
    assert "signature does not match" in wrong["detail"]
    tampered = body.replace(b"+48 600 100 400", b"+48 600 100 999")
    problem(post(tampered, signed(body, now)), 403)
    stale = problem(post(body, signed(body, now - 301)), 403)
    assert "replay" in stale["detail"]
    problem(post(body, signed(body, now + 301)), 403)
    unsigned = post(body, {"Content-Type": "application/json"})
    assert unsigned.headers["WWW-Authenticate"].startswith("Signature")
    missing = problem(unsigned, 401)
    assert "Telephony-Signature" in missing["detail"]
    assert head(podium) == before
    expect(phone.deliver(body), 200)  # the same report, signed right, goes through


def test_an_unknown_digit_is_a_spoken_422_and_changes_nothing(
    client: TestClient, podium: Podium
) -> None:
    """A listener pressing a presenter's key (7) or a key no menu has (3): 422 with the keys
    there are, spoken, and collecting a key again; nothing is written, the event not started."""
    owner = trial_owner(client, "owner@example.com")
    room = phone_room(client, owner)
    phone = Phone(client, podium, "CA-unknown", "+48 600 100 500")
    phone.dial()
    phone.pin(room["phone_listener_pin"])
    before = head(podium)
    for key in ("7", "3", "#"):
        refused = problem(phone.deliver(phone.body("call.digit", digits=key)), 422)
        assert f"key {key} does nothing" in refused["detail"]
        assert refused["actions"][0] == {"action": "talk", "text": refused["detail"]}
        assert refused["actions"][-1] == {"action": "input", "type": "digit"}
    assert head(podium) == before
    assert sessions(client, owner, room) == []


def test_a_wrong_pin_is_counted_and_the_third_hangs_up(client: TestClient, podium: Podium) -> None:
    """Two wrong PINs are told how many tries are left; the third hangs up; nobody admitted."""
    owner = trial_owner(client, "owner@example.com")
    room = phone_room(client, owner)
    phone = Phone(client, podium, "CA-guess", "+48 600 100 600")
    phone.dial()
    wrong = next(
        str(p) for p in range(100_000, 100_010)
        if str(p) not in (str(room["phone_presenter_pin"]), str(room["phone_listener_pin"]))
    )  # fmt: skip
    assert "2 tries left" in spoken(phone.pin(wrong))
    assert "1 try left" in spoken(phone.pin(wrong))
    assert then(phone.pin(wrong)) == {"action": "hangup"}
    assert admissions(client, owner, room) == []


def test_the_phone_is_refused_where_the_room_says_no(client: TestClient, podium: Podium) -> None:
    """No gateway, a toll-free number for a room without toll-free, a locked room for a listener,
    a full room: each a 4xx that is spoken before hanging up, and no admission."""
    owner = trial_owner(client, "owner@example.com")
    room = phone_room(client, owner, seats=1)
    quiet = phone_room(client, owner, phone_gateway=False)
    cases = [
        (quiet, LOCAL, "phone_listener_pin", 403, "no phone dial-in"),
        (room, TOLL_FREE, "phone_listener_pin", 403, "no toll-free number"),
    ]
    for n, (target, number, pin, status, reason) in enumerate(cases):
        phone = Phone(client, podium, f"CA-no-{n}", "+48 600 100 700")
        phone.dial(number)
        refused = problem(phone.deliver(phone.body("call.pin", digits=str(target[pin]))), status)
        assert reason in refused["detail"]
        assert then(refused) == {"action": "hangup"}
    expect(join(client, room, "ann@example.com"), 200)  # the one seat
    full = Phone(client, podium, "CA-full", "+48 600 100 701")
    full.dial()
    refused = problem(
        full.deliver(full.body("call.pin", digits=str(room["phone_listener_pin"]))), 409
    )
    assert "full" in refused["detail"]
    assert [a["via"] for a in admissions(client, owner, room)] == ["open"]


def test_a_call_report_that_is_not_one_is_a_422(client: TestClient, podium: Podium) -> None:
    """Signed but not a report (an unknown type, a number not of the gateway, no digits)."""
    phone = Phone(client, podium, "CA-odd", "+48 600 100 800")
    assert "type" in problem(phone.deliver(phone.body("call.transferred")), 422)["detail"]
    odd = phone.deliver(phone.body("call.started", **{"from": "+1 555", "to": "+1 999 999"}))
    assert "not a number of this phone gateway" in problem(odd, 422)["detail"]
    assert "needs digits" in problem(phone.deliver(phone.body("call.pin")), 422)["detail"]
    assert (
        "report call.started first"
        in problem(phone.deliver(phone.body("call.digit", digits="1")), 404)["detail"]
    )


def test_the_gateway_is_off_without_a_shared_secret(client: TestClient, podium: Podium) -> None:
    """With no telephony secret configured the webhook is not there (404): it says how to
    turn it on."""
    podium.settings.telephony_secret = ""
    phone = Phone(client, podium, "CA-off", "+48 600 100 900")
    assert (
        "PODIUM_TELEPHONY_SECRET" in problem(phone.deliver(phone.body("call.ended")), 404)["detail"]
    )


def test_keys_out_of_turn_say_what_to_do_and_change_nothing(
    client: TestClient, podium: Podium, clock: ManualClock
) -> None:
    """A key before the PIN asks for the PIN; a key after the call ended hangs up; both 409,
    nothing written; a second hang-up keeps the call's first end."""
    owner = trial_owner(client, "owner@example.com")
    room = phone_room(client, owner)
    phone = Phone(client, podium, "CA-early", "+48 600 100 950")
    phone.dial()
    before = head(podium)
    early = problem(phone.deliver(phone.body("call.digit", digits="1")), 409)
    assert "PIN first" in early["detail"]
    assert then(early) == {"action": "input", "type": "pin"}
    assert head(podium) == before
    phone.pin(room["phone_listener_pin"])
    phone.hang_up()
    before = head(podium)
    late = problem(phone.deliver(phone.body("call.digit", digits="0")), 409)
    assert then(late) == {"action": "hangup"}
    assert head(podium) == before
    clock.advance(timedelta(minutes=1))
    assert phone.hang_up()["actions"] == []
    [record] = call_records(client, owner, room)["calls"]
    assert record["duration_seconds"] == 0


def legacy_room(podium: Podium, owner: Caller, presenter_pin: int, listener_pin: int) -> str:
    """A room as scheduled before PINs were claimed: its PINs are in its secrets only."""
    settings = RoomSettings(name="Old Room", permanent=True, phone_gateway=True)
    secrets = new_secrets() | {
        "phone_presenter_pin": presenter_pin,
        "phone_listener_pin": listener_pin,
    }

    def command(unit: UnitOfWork) -> Result:
        room = Room(UUID(owner.account_id), "old-room", settings.as_state(), secrets, unit.now)
        return Result(Outcome.DONE, {"room_id": str(unit.add(room).id)})

    room_id = str(podium.runner.run(command).body["room_id"])
    podium.projector.catch_up()
    return room_id


def test_podium_claim_phone_pins_lets_older_rooms_be_called(
    client: TestClient, podium: Podium
) -> None:
    """A room from before PIN claims is not found by its PIN; `podium claim-phone-pins` claims
    its PINs, says which one another room claimed first, and the call then gets in; running it
    again claims nothing more."""
    owner = trial_owner(client, "owner@example.com")
    newer = phone_room(client, owner)
    free = next(p for p in range(100_000, 100_010) if p != newer["phone_listener_pin"])
    old = legacy_room(podium, owner, newer["phone_presenter_pin"], free)
    phone = Phone(client, podium, "CA-old-1", "+48 600 100 990")
    phone.dial()
    assert "opens no event" in spoken(phone.pin(free))

    done = run_podium(podium.settings, "claim-phone-pins")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 PIN(s) claimed" in done.stdout
    assert f"room {old}: its presenter PIN is another room's" in done.stderr
    assert phone.pin(free)["state"]["room_id"] == old
    again = run_podium(podium.settings, "claim-phone-pins")
    assert "0 PIN(s) claimed" in again.stdout


def test_audio_modes_and_mutes_from_the_dial_pad_follow_the_audio_rules(
    client: TestClient, podium: Podium
) -> None:
    """A phone presenter sets discussion (2, 2) and listen only (2, 1) as the panel then shows;
    a phone listener mutes and unmutes with 1 in discussion; in listen only they may mute but
    not unmute (409, spoken, staying at the menu); 5 files a question the presenters see."""
    owner = trial_owner(client, "owner@example.com")
    room = phone_room(client, owner)
    presenter = Phone(client, podium, "CA-audio-p", "+48 600 100 960")
    listener = Phone(client, podium, "CA-audio-l", "+48 600 100 961")
    for phone, pin in ((presenter, "phone_presenter_pin"), (listener, "phone_listener_pin")):
        phone.dial()
        phone.pin(room[pin])
    presenter.press("7")

    def mode() -> str:
        path = f"/rooms/{room['room_id']}/audio"
        return str(expect(client.get(path, headers=owner.headers), 200)["mode"])

    assert presenter.press("2")["state"]["menu"] == "audio"
    assert spoken(presenter.press("2")) == "Discussion: everyone may speak."
    assert mode() == "discussion"
    assert listener.press("1")["state"]["muted"] is True
    assert listener.press("1")["state"]["muted"] is False
    presenter.press("2")
    assert "all participants are muted" in spoken(presenter.press("1"))
    assert mode() == "listen_only"
    assert listener.press("1")["state"]["muted"] is True
    refused = problem(listener.deliver(listener.body("call.digit", digits="1")), 409)
    assert then(refused) == {"action": "input", "type": "digit"}
    assert spoken(listener.press("5")) == "Your question is with the presenters."
    path = f"/rooms/{room['room_id']}/questions"
    [question] = expect(client.get(path, headers=owner.headers), 200)["questions"]
    assert "asks a question by phone" in question["text"]


def test_room_clients_never_see_pins_or_caller_numbers(client: TestClient, podium: Podium) -> None:
    """The room feed (what sockets carry) has the phone participant's admission, but no PIN
    claim, no call stream, no PIN and no caller number."""
    owner = trial_owner(client, "owner@example.com")
    room = phone_room(client, owner)
    phone = Phone(client, podium, "CA-private", "+48 600 123 456")
    phone.dial()
    phone.pin(room["phone_presenter_pin"])
    phone.press("7")
    podium.projector.catch_up()
    rows = podium.read_store.query("SELECT kind, payload FROM room_feed")
    feed = " ".join(f"{r['kind']} {r['payload']}" for r in rows)
    assert "admission.admitted" in feed
    for secret in (room["phone_presenter_pin"], room["phone_listener_pin"], "600 123 456"):
        assert str(secret) not in feed
    kinds = {str(r["kind"]).split(".")[0] for r in rows}
    assert kinds.isdisjoint({"phone_pin", "call"}), kinds
