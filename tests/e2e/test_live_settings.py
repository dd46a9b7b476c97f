"""Room settings during the event over HTTP: interface language and toll-free numbers, which
ask for the phone gateway too (issue 8 section 3, decision 0021)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from podium.bootstrap import Podium
from tests.e2e.helpers import Caller, Json, expect, head, problem, trial_owner
from tests.e2e.test_live_sessions import end, start
from tests.e2e.test_recording import as_attendee, listener, open_room, presenter

GATEWAY_NEEDED = "toll-free numbers work only through the phone gateway"


def change(client: TestClient, room: Json, headers: dict[str, str], **body: Any) -> Response:
    response: Response = client.patch(
        f"/rooms/{room['room_id']}/live-settings", json=body, headers=headers
    )
    return response


def room_as_owner(client: TestClient, owner: Caller, room: Json) -> Json:
    return expect(client.get(f"/rooms/{room['room_id']}", headers=owner.headers), 200)


def test_toll_free_with_the_gateway_off_asks_to_turn_the_gateway_on_and_changes_nothing(
    client: TestClient, podium: Podium
) -> None:
    """``toll_free: true`` alone in a room whose phone gateway is off is a 409 saying to send
    ``phone_gateway: true`` too; the room's settings stay as they were, nothing is appended."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    speaker = as_attendee(presenter(client, room, "speaker@example.com"))
    before = head(podium)
    refused = problem(change(client, room, speaker, toll_free=True), 409)
    assert GATEWAY_NEEDED in refused["detail"]
    assert '"phone_gateway": true' in refused["detail"]
    assert head(podium) == before
    shown = room_as_owner(client, owner, room)
    assert (shown["toll_free"], shown["phone_gateway"]) == (False, False)


def test_toll_free_with_the_gateway_asked_for_turns_both_on_in_the_rooms_settings(
    client: TestClient,
) -> None:
    """``toll_free`` and ``phone_gateway`` true: both on, in the answer and in the room's own
    settings (where dial-in reads them)."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    speaker = as_attendee(presenter(client, room, "speaker@example.com"))
    answer = expect(change(client, room, speaker, toll_free=True, phone_gateway=True), 200)
    assert (answer["toll_free"], answer["phone_gateway"]) == (True, True)
    assert answer["changed"] == ["phone_gateway", "toll_free"]
    shown = room_as_owner(client, owner, room)
    assert (shown["toll_free"], shown["phone_gateway"]) == (True, True)


def test_toll_free_in_a_room_with_the_gateway_on_needs_nothing_more(client: TestClient) -> None:
    """With the gateway already on, ``toll_free: true`` alone is enough; turning it off leaves
    the gateway on."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner, phone_gateway=True)
    start(client, owner, room)
    on = expect(change(client, room, owner.headers, toll_free=True), 200)
    assert (on["toll_free"], on["phone_gateway"], on["changed"]) == (True, True, ["toll_free"])
    off = expect(change(client, room, owner.headers, toll_free=False), 200)
    assert (off["toll_free"], off["phone_gateway"]) == (False, True)


def test_toll_free_on_but_the_gateway_off_in_one_request_is_a_422(client: TestClient) -> None:
    """Asking for toll-free numbers and no gateway at once cannot be done: a 422 saying so."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner, phone_gateway=True)
    start(client, owner, room)
    refused = problem(change(client, room, owner.headers, toll_free=True, phone_gateway=False), 422)
    assert "need the phone gateway" in refused["detail"]


def test_the_interface_language_changes_for_the_room_and_carries_to_its_next_session(
    client: TestClient,
) -> None:
    """A presenter sets Polish; the room shows it, and a permanent room's next session is in
    Polish too."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    start(client, owner, room)
    speaker = as_attendee(presenter(client, room, "speaker@example.com"))
    changed = expect(change(client, room, speaker, language="PL"), 200)
    assert (changed["language"], changed["changed"], changed["session"]) == ("pl", ["language"], 1)
    path = f"/rooms/{room['room_id']}/live-settings"
    assert expect(client.get(path, headers=speaker), 200)["language"] == "pl"
    end(client, owner, room)
    start(client, owner, room)
    shown = expect(client.get(path, headers=owner.headers), 200)
    assert (shown["session"], shown["language"]) == (2, "pl")


def test_bad_settings_are_refused_saying_what_is_wrong(client: TestClient, podium: Podium) -> None:
    """An unknown language (422 naming it), an empty change (422), a listener (403) and a change
    before the event starts (409) are each refused; nothing is appended."""
    owner = trial_owner(client, "owner@example.com")
    room = open_room(client, owner)
    assert (
        "not started" in problem(change(client, room, owner.headers, language="de"), 409)["detail"]
    )
    start(client, owner, room)
    audience = as_attendee(listener(client, room, "ann@example.com"))
    before = head(podium)
    assert "'xx'" in problem(change(client, room, owner.headers, language="xx"), 422)["detail"]
    assert "language or toll_free" in problem(change(client, room, owner.headers), 422)["detail"]
    refused = problem(change(client, room, audience, language="de"), 403)
    assert "only a host or presenter may change the room's settings" in refused["detail"]
    problem(change(client, room, owner.headers, toll_free="yes"), 422)
    assert head(podium) == before
