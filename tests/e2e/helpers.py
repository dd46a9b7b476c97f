"""What an HTTP client of Podium does over and over: sign up, log in, pay, read, follow links.

Everything goes through the API as JSON, except what no client can do over HTTP: reading the
mail Podium queued (the outbox read model) and running the scheduler's renewal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient
from httpx import Response

from commands.tokens import render_link_tokens
from commands.unit_of_work import Outcome
from podium.bootstrap import Podium
from podium.clock import ManualClock

PASSWORD = "correct horse battery"
CARD_OK = "4242424242424242"
CARD_DECLINED = "4000000000000002"
PROBLEM = "application/problem+json"
TOKEN_IN_LINK = re.compile(r"[?&]token=([^\s&]+)")

Json = dict[str, Any]


@dataclass(frozen=True)
class Caller:
    """Someone holding an API key: an owner, a member, a subaccount's login."""

    account_id: str
    email: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return auth(self.key)


def auth(key: str) -> dict[str, str]:
    return {"X-Api-Key": key}


def expect(response: Response, status: int) -> Json:
    """The JSON body of ``response``, which must have ``status`` (the body says why if not)."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    body: Json = response.json()
    return body


def problem(response: Response, status: int) -> Json:
    """A problem+json answer with ``status`` and a ``detail`` a person can read."""
    body = expect(response, status)
    assert response.headers["content-type"].startswith(PROBLEM)
    assert body["status"] == status
    assert isinstance(body["detail"], str)
    assert len(body["detail"]) > 5
    return body


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator/denominator to the nearest cent, halves up: the test's own arithmetic."""
    exact = Decimal(numerator) / Decimal(denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def head(podium: Podium) -> int:
    """The id of the last event appended to the log."""
    return podium.store.recorder.max_notification_id() or 0


def sign_up(client: TestClient, email: str, name: str = "Acme Webinars") -> str:
    """A new trial account; returns its id."""
    body = expect(
        client.post("/accounts", json={"name": name, "email": email, "password": PASSWORD}), 201
    )
    return str(body["account_id"])


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """A session API key for ``email``."""
    body = expect(client.post("/sessions", json={"email": email, "password": password}), 201)
    return str(body["api_key"])


def add_card(client: TestClient, caller: Caller, number: str = CARD_OK) -> None:
    response = client.put(
        "/account/payment-method", json={"kind": "card", "number": number}, headers=caller.headers
    )
    expect(response, 200)


def subscribe(client: TestClient, caller: Caller, plan_id: str = "live-25") -> Json:
    response = client.post(
        "/account/subscription", json={"plan_id": plan_id}, headers=caller.headers
    )
    return expect(response, 200)


def trial_owner(client: TestClient, email: str) -> Caller:
    """The owner of a new trial account, logged in."""
    account_id = sign_up(client, email)
    return Caller(account_id, email, log_in(client, email))


def paying_owner(
    client: TestClient, email: str, plan_id: str = "live-25", card: str = CARD_OK
) -> Caller:
    """The owner of an account with a card on file and a paid monthly plan, logged in."""
    owner = trial_owner(client, email)
    add_card(client, owner, card)
    subscribe(client, owner, plan_id)
    return owner


def account(client: TestClient, caller: Caller) -> Json:
    return expect(client.get("/account", headers=caller.headers), 200)


def transactions(client: TestClient, caller: Caller) -> list[Json]:
    """The caller's ledger entries, most recent first."""
    body = expect(client.get("/account/transactions", headers=caller.headers), 200)
    entries: list[Json] = body["entries"]
    return entries


def buy_packages(client: TestClient, caller: Caller, size: int, quantity: int = 1) -> Json:
    response = client.post(
        "/account/subaccount-packages",
        json={"package_size": size, "quantity": quantity},
        headers=caller.headers,
    )
    return expect(response, 200)


def link_token(podium: Podium, email: str, purpose: str) -> str:
    """The token in the newest ``purpose`` message queued for ``email``.

    Read from the outbox's list of pending mail (nothing delivers it in these tests), because
    ``OutboxView.to()`` leaves the body out.
    """
    mails = [
        row
        for row in podium.views.outbox.due(podium.clock.now(), limit=1000)
        if row["recipient"] == email and row["purpose"] == purpose
    ]
    assert mails, f"no {purpose} mail queued for {email}"
    # What the mailer would send: the stored body holds a placeholder, not the token.
    body = render_link_tokens(str(mails[-1]["body"]), podium.settings.secret.encode())
    found = TOKEN_IN_LINK.search(body)
    assert found is not None, f"no link in: {mails[-1]['body']}"
    return found.group(1)


def activate(client: TestClient, podium: Podium, email: str, password: str = PASSWORD) -> Json:
    """Follow the activation link mailed to ``email`` and set its first password."""
    token = link_token(podium, email, "activation")
    return expect(client.post("/activation", json={"token": token, "password": password}), 200)


def assign_subaccount(client: TestClient, owner: Caller, email: str, size: int = 25) -> str:
    """A subaccount on a free package of ``size``; returns its id (it awaits activation)."""
    body = {"page_name": "Sales team", "user_name": "Sam Seller", "email": email}
    response = client.post(
        "/subaccounts", json=body | {"package_size": size}, headers=owner.headers
    )
    return str(expect(response, 201)["subaccount_id"])


def subaccount_login(client: TestClient, podium: Podium, subaccount_id: str, email: str) -> Caller:
    """Activate the subaccount through its emailed link and log in as its owner."""
    activate(client, podium, email)
    return Caller(subaccount_id, email, log_in(client, email))


def act_in_subaccount(client: TestClient, owner: Caller, subaccount_id: str) -> Caller:
    """The parent's owner with a key acting inside the subaccount ("log into it")."""
    response = client.post(f"/subaccounts/{subaccount_id}/session", headers=owner.headers)
    return Caller(subaccount_id, owner.email, str(expect(response, 201)["api_key"]))


def member(client: TestClient, podium: Podium, owner: Caller, email: str) -> Caller:
    """A member invited by ``owner``, activated through the emailed link and logged in."""
    expect(client.post("/members", json={"email": email}, headers=owner.headers), 201)
    activate(client, podium, email)
    return Caller(owner.account_id, email, log_in(client, email))


def renew_at(podium: Podium, clock: ManualClock, account_id: str, moment: datetime) -> Json:
    """Run the scheduler's renewal of one account at ``moment``; read models catch up."""
    clock.set(moment)
    result = podium.billing.renew(UUID(account_id))
    podium.projector.catch_up()
    assert result.outcome == Outcome.DONE
    return result.body


def period_end(client: TestClient, caller: Caller) -> datetime:
    return datetime.fromisoformat(str(account(client, caller)["period_end"]))


# ---- billing: the clock starts at 2026-10-15 09:00 UTC, a 31-day period --------------------

PERIOD_START = date(2026, 10, 15)
PERIOD_END = datetime(2026, 11, 15, 9, 0, tzinfo=UTC)


def monthly_price(client: TestClient, plan_id: str) -> int:
    plans = expect(client.get("/plans"), 200)["plans"]
    return int(next(plan["monthly_price"] for plan in plans if plan["id"] == plan_id))


def prorated(amount: int, today: date) -> int:
    """``amount`` for the whole days from ``today`` to the period's end, out of its 31 days."""
    days_left = (PERIOD_END.date() - today).days
    return round_half_up(amount * days_left, (PERIOD_END.date() - PERIOD_START).days)


def money_moves(entries: list[Json]) -> list[tuple[str, int]]:
    """(kind, amount) of ledger entries, oldest first."""
    return [(entry["kind"], entry["amount"]) for entry in reversed(entries)]


def post(client: TestClient, caller: Caller, path: str, body: Json | None = None) -> Json:
    return expect(client.post(path, json=body, headers=caller.headers), 200)
