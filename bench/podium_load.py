"""Podium's write path under load: typical billing commands through the real services.

Accounts are set up as the API would leave them: signed up, a card on file, a paid monthly plan.
Every measured command carries an Idempotency-Key scoped to the owner's login, with a fingerprint
of the request as the API computes it, so the idempotency record is written with every command.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from bench.measure import Stats, run_threads
from commands.unit_of_work import Idempotency, Outcome, Result
from domain.errors import RuleViolationError
from podium.bootstrap import Podium, bootstrap
from podium.clock import ManualClock
from podium.passwords import FastTestHasher
from podium.payments import SandboxGateway
from podium.settings import Settings

START = datetime(2026, 10, 15, 9, 0, tzinfo=UTC)
PLAN_LADDER = ("live-25", "live-50", "live-100", "live-150", "live-200", "live-500", "live-1000")
CARD = "4242424242424242"

# How often each command is sent, in percent (the rest of the mix is plan changes).
MIX: tuple[tuple[str, int], ...] = (
    ("add_funds", 30),
    ("charge_dial_in", 30),
    ("buy_add_on", 25),
    ("change_plan", 15),
)


def build(settings: Settings, *, apply_migrations: bool = True) -> Podium:
    return bootstrap(
        settings,
        clock=ManualClock(START),
        gateway=SandboxGateway(),
        hasher=FastTestHasher(),
        apply_migrations=apply_migrations,
    )


@dataclass
class Customer:
    """One paying account, its owner's idempotency scope, and the plan we last saw it on."""

    account_id: UUID
    scope: str
    plan: str = PLAN_LADDER[0]


@dataclass
class Sent:
    """A command as sent, so the replay phase can send exactly the same again."""

    call: Callable[[], Result]
    first: Result


def create_customers(podium: Podium, count: int, threads: int) -> list[Customer]:
    """``count`` accounts with a card and a paid plan, made through the services."""

    def create(number: int) -> Customer:
        email = f"bench-{number}-{uuid.uuid4().hex[:8]}@example.com"
        signed = podium.accounts.sign_up(f"Bench {number}", email, "password1", False, None)
        account_id = UUID(str(signed.body["account_id"]))
        podium.billing.set_payment_method(account_id, "card", {"number": CARD})
        subscribed = podium.billing.subscribe(account_id, PLAN_LADDER[0], "monthly")
        if subscribed.outcome != Outcome.DONE:
            raise RuntimeError(f"could not subscribe a bench account: {subscribed.body}")
        scope = f"login:{signed.body['login_id']}:account:{account_id}"
        return Customer(account_id, scope)

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(create, range(count)))


def idempotency(customer: Customer, method: str, path: str, body: dict[str, Any]) -> Idempotency:
    """The key and fingerprint the API would pass for this request."""
    raw = method.encode() + path.encode() + json.dumps(body).encode()
    return Idempotency(customer.scope, f"bench-{uuid.uuid4()}", hashlib.sha256(raw).hexdigest())


@dataclass
class BillingLoad:
    """The billing mix over many accounts, remembering what it sent for the replay phase."""

    podium: Podium
    customers: list[Customer]
    seed: int = 1
    sent: list[Sent] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)
    refused: int = 0  # plan changes refused because another thread changed the plan first
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _rngs: dict[int, random.Random] = field(default_factory=dict)

    def rng(self, thread: int) -> random.Random:
        if thread not in self._rngs:
            self._rngs[thread] = random.Random(self.seed * 1000 + thread)
        return self._rngs[thread]

    def command(self, thread: int, _iteration: int) -> Result | None:
        rng = self.rng(thread)
        customer = self.customers[rng.randrange(len(self.customers))]
        kind = rng.choices([name for name, _ in MIX], weights=[w for _, w in MIX])[0]
        call = self.prepare(kind, customer, rng)
        try:
            result = call()
        except RuleViolationError:
            if kind != "change_plan":
                raise
            # Another thread moved this account up the ladder first: the API's 409, not a
            # failure of the bench. It took its time like any command.
            with self._lock:
                self.refused += 1
            return None
        with self._lock:
            self.outcomes[result.outcome] = self.outcomes.get(result.outcome, 0) + 1
            self.sent.append(Sent(call, result))
        if kind == "change_plan" and result.outcome == Outcome.DONE:
            customer.plan = str(result.body["plan_id"])
        return result

    def prepare(self, kind: str, customer: Customer, rng: random.Random) -> Callable[[], Result]:
        """The service call for one command, with its Idempotency-Key, ready to (re)send."""
        billing, account = self.podium.billing, customer.account_id
        if kind == "add_funds":
            amount = rng.randrange(500, 5_000)
            key = idempotency(customer, "POST", "/account/funds", {"amount": amount})
            return lambda: billing.add_funds(account, amount, key)
        if kind == "charge_dial_in":
            amount = rng.randrange(100, 2_000)
            body = {"amount": amount, "description": "toll-free minutes"}
            key = idempotency(customer, "POST", "/internal/dial-in", body)
            return lambda: billing.charge_dial_in(account, amount, "toll-free minutes", key)
        if kind == "buy_add_on":
            body = {"add_on": "room_session", "quantity": 1}
            key = idempotency(customer, "POST", "/account/add-ons", body)
            return lambda: billing.buy_add_on(account, "room_session", 1, key)
        position = PLAN_LADDER.index(customer.plan)
        if position + 1 < len(PLAN_LADDER):
            plan = PLAN_LADDER[position + 1]
            key = idempotency(customer, "POST", "/account/upgrade", {"plan_id": plan})
            return lambda: billing.upgrade(account, plan, key)
        # At the top of the ladder: schedule a downgrade for the next period instead.
        body = {"plan_id": PLAN_LADDER[0], "cycle": "monthly"}
        key = idempotency(customer, "POST", "/account/downgrade", body)
        return lambda: billing.downgrade(account, PLAN_LADDER[0], "monthly", key)


def measure_commands(load: BillingLoad, threads: int, seconds: float) -> Stats:
    runner = load.podium.runner
    conflicts_before, sent_before, refused_before = runner.conflicts, len(load.sent), load.refused
    head_before = load.podium.store.recorder.max_notification_id() or 0
    stats = run_threads("podium command", load.command, threads, seconds)
    head_after = load.podium.store.recorder.max_notification_id() or 0
    stats.extra["conflicts"] = runner.conflicts - conflicts_before
    stats.extra["refused_plan_changes"] = load.refused - refused_before
    stats.extra["events_per_command"] = round(
        (head_after - head_before) / max(1, len(load.sent) - sent_before), 2
    )
    return stats


def measure_replays(load: BillingLoad, threads: int, seconds: float) -> Stats:
    """The same requests again, same keys: each must answer the first result, append nothing."""
    sample = [sent for sent in load.sent if sent.first.outcome == Outcome.DONE]
    if not sample:
        raise RuntimeError("no command succeeded, so there is nothing to replay")
    head_before = load.podium.store.recorder.max_notification_id()

    def replay(thread: int, iteration: int) -> Result:
        sent = sample[(iteration * threads + thread) % len(sample)]
        result = sent.call()
        if not result.replayed or result.body != sent.first.body:
            raise AssertionError("a replay did not return the recorded first answer")
        return result

    stats = run_threads("idempotent replay", replay, threads, seconds)
    if load.podium.store.recorder.max_notification_id() != head_before:
        stats.errors["AppendedOnReplay"] = 1
    return stats
