"""Who may do what: every kind of credential against every kind of request, status by status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from domain.cards import card_numbers_in
from podium.bootstrap import Podium
from tests.e2e.helpers import (
    CARD_OK,
    Caller,
    Json,
    act_in_subaccount,
    assign_subaccount,
    auth,
    buy_packages,
    expect,
    head,
    member,
    paying_owner,
    problem,
    subaccount_login,
)
from tests.e2e.rooms import schedule


@dataclass(frozen=True)
class World:
    """Account A (owner, member, subaccount X with its login, the owner acting inside X), an
    unrelated paying account B, and a caller whose key Podium never issued."""

    a: str
    x: str
    b: str
    room_number: int  # the event ID of a password-protected room of A, for the public
    callers: dict[str, Caller]
    owner_key: tuple[str, str]  # (id, key) of an extra API key of A's owner
    member_key: tuple[str, str]  # (id, key) of an extra API key of A's member


def issue_key(client: TestClient, caller: Caller, label: str) -> tuple[str, str]:
    body = expect(client.post("/api-keys", json={"label": label}, headers=caller.headers), 201)
    return str(body["id"]), str(body["api_key"])


@pytest.fixture
def world(client: TestClient, podium: Podium) -> World:
    owner = paying_owner(client, "owner@a.example.com")
    buy_packages(client, owner, 25)
    buy_packages(client, owner, 50)
    x = assign_subaccount(client, owner, "sub@a.example.com", 25)
    room = schedule(client, owner, "Board", access_type="password", password="hunter2-board")
    callers = {
        "owner": owner,
        "member": member(client, podium, owner, "member@a.example.com"),
        "subaccount": subaccount_login(client, podium, x, "sub@a.example.com"),
        "parent_in_subaccount": act_in_subaccount(client, owner, x),
        "other_owner": paying_owner(client, "owner@b.example.com"),
        "stranger": Caller("", "nobody@example.com", "pdm_not-a-key-podium-ever-issued"),
    }
    return World(
        a=owner.account_id,
        x=x,
        b=callers["other_owner"].account_id,
        room_number=int(room["number"]),
        callers=callers,
        owner_key=issue_key(client, owner, "victim"),
        member_key=issue_key(client, callers["member"], "victim"),
    )


Action = Callable[[TestClient, World, Caller, str], Response]


def read_account(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    response: Response = client.get("/account", headers=caller.headers)
    return response


def read_transactions(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    response: Response = client.get("/account/transactions", headers=caller.headers)
    return response


def move_money(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    response: Response = client.post(
        "/account/funds", json={"amount": 1_000}, headers=caller.headers
    )
    return response


def manage_subaccount(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    path = f"/subaccounts/{world.x}/package"
    response: Response = client.put(path, json={"package_size": 50}, headers=caller.headers)
    return response


def manage_members(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    body = {"email": f"invitee-of-{actor}@example.com"}
    response: Response = client.post("/members", json=body, headers=caller.headers)
    return response


def revoke_anothers_key(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    """The owner goes for the member's key; everyone else for the owner's."""
    victim, _ = world.member_key if actor == "owner" else world.owner_key
    response: Response = client.delete(f"/api-keys/{victim}", headers=caller.headers)
    return response


def set_card(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    body = {"kind": "card", "number": CARD_OK}
    response: Response = client.put("/account/payment-method", json=body, headers=caller.headers)
    return response


def read_timeline(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    response: Response = client.get("/timeline?limit=500", headers=caller.headers)
    return response


def read_mail(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    response: Response = client.get("/mail", headers=caller.headers)
    return response


def read_subaccounts(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    response: Response = client.get("/subaccounts", headers=caller.headers)
    return response


def read_public_room(client: TestClient, world: World, caller: Caller, actor: str) -> Response:
    """A room by its event ID: public, whoever asks (the caller's key is sent, and ignored)."""
    response: Response = client.get(f"/events/{world.room_number}", headers=caller.headers)
    return response


ACTIONS: dict[str, Action] = {
    "read_account": read_account,
    "read_transactions": read_transactions,
    "read_timeline": read_timeline,
    "read_mail": read_mail,
    "read_subaccounts": read_subaccounts,
    "read_public_room": read_public_room,
    "move_money": move_money,
    "set_card": set_card,
    "manage_subaccount": manage_subaccount,
    "manage_members": manage_members,
    "revoke_anothers_key": revoke_anothers_key,
}

# actor -> the status of each action, in ACTIONS' order: the role matrix of docs/roles.md.
# The other owner's successes act on its own account B (asserted below); 404 is "not yours",
# which says nothing of what exists. Billing (transactions, money, card) is the owner's alone.
# The owner comes last: its writes are the only ones meant to change account A.
MATRIX: dict[str, tuple[int, ...]] = {
    "stranger": (401, 401, 401, 401, 401, 200, 401, 401, 401, 401, 401),
    "other_owner": (200, 200, 200, 200, 200, 200, 200, 200, 404, 201, 404),
    "subaccount": (200, 403, 200, 403, 403, 200, 403, 403, 403, 403, 404),
    "parent_in_subaccount": (200, 403, 200, 403, 403, 200, 403, 403, 403, 403, 404),
    "member": (200, 403, 200, 403, 403, 200, 403, 403, 403, 403, 403),
    "owner": (200, 200, 200, 200, 200, 200, 200, 200, 200, 201, 200),
}
# Timeline rows only the owner sees: billing and subaccount management.
OWNER_ONLY_KINDS = ("Ledger.", "Subaccount.", "Account.PaymentMethodSet", "Account.Subscribed")


def a_as_stored(podium: Podium, world: World) -> dict[str, Any]:
    """Everything of account A that a request could change, from the read models."""
    return {
        "account": podium.views.accounts.account(world.a),
        "entries": podium.views.billing.history(world.a, 500),
        "subaccount": podium.views.accounts.subaccount(world.x),
    }


# Whose data each caller's reads show: A, subaccount X, or the other account B.
READS = {
    "owner": "a",
    "member": "a",
    "subaccount": "x",
    "parent_in_subaccount": "x",
    "other_owner": "b",
}


def check_answer(podium: Podium, world: World, actor: str, action: str, body: Json) -> None:
    """A read shows the caller's own account and nothing else; the rest answer for it too."""
    if action == "read_public_room":
        assert body["number"] == world.room_number
        assert not {"password", "room_pin", "role_links", "embed_code"} & set(body)
        assert "hunter2-board" not in orjson.dumps(body).decode()
        return
    own = {"a": world.a, "x": world.x, "b": world.b}[READS[actor]]
    if action == "read_account" and READS[actor] == "x":
        assert body["subaccount_id"] == world.x
        assert body["parent_id"] == world.a
        assert "account_id" not in body
        assert body["balance"] == 0
        assert [m["email"] for m in body["members"]] == ["sub@a.example.com"]
    elif action == "read_account":
        assert body["account_id"] == own
        assert body["role"] == ("member" if actor == "member" else "owner")
    elif action == "read_transactions":
        assert body["entries"] == podium.views.billing.history(own, 100)
    elif action == "read_timeline":
        kinds = {entry["kind"] for entry in body["entries"]}
        assert "Account.Opened" in kinds or READS[actor] == "x"
        owner_only = {k for k in kinds if k.startswith(OWNER_ONLY_KINDS)}
        assert bool(owner_only) == actor.endswith("owner"), owner_only
        assert not card_numbers_in(orjson.dumps(body).decode())

    elif action == "move_money":
        assert body["account_id"] == own
        assert body["balance"] == 1_000


def test_each_credential_gets_exactly_its_rights(
    client: TestClient, podium: Podium, world: World, subtests: pytest.Subtests
) -> None:
    """Each caller gets the matrix's status for each request, and only A's owner changes A."""
    # One world, each (actor, action) cell a subtest: a world per cell would cost a minute.
    # Reads come first and refused requests change nothing, so cells do not disturb each other.
    for actor, statuses in MATRIX.items():
        caller = world.callers[actor]
        for (action, perform), status in zip(ACTIONS.items(), statuses, strict=True):
            with subtests.test(actor=actor, action=action, status=status):
                before, log_before = a_as_stored(podium, world), head(podium)
                response = perform(client, world, caller, actor)
                if status >= 400:
                    problem(response, status)
                    assert head(podium) == log_before, "a refused request appended events"
                else:
                    check_answer(podium, world, actor, action, expect(response, status))
                if actor != "owner":
                    assert a_as_stored(podium, world) == before
    # Only the owner's revocation took: the member's key is dead, the owner's still works.
    problem(client.get("/account", headers=auth(world.member_key[1])), 401)
    expect(client.get("/account", headers=auth(world.owner_key[1])), 200)
