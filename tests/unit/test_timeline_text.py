"""The timeline's text shows no secret and no card number, for every event Podium defines.

The events are found by walking the domain package, so an event class added later is covered
without touching this file; each is built with realistic values that carry card numbers and
secrets everywhere they could, then rendered as the timeline renders it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types
import typing
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.domain import CanMutateAggregate

import domain
from domain.cards import card_numbers_in
from projections.timeline.projection import SKIPPED_MODULES
from projections.timeline.text import LEFT_OUT, SHOWN, owner_only, summarize

CARD = "4242 4242 4242 4242"
CARDS = ("4242424242424242", "4000000000000002", "4000000000009995")
AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
# Field names that hold a credential or what could become one, or text not meant for a list:
# decided here, apart from the projection, so the test does not grade its own homework.
PRIVATE = re.compile(r"token|password|hash|digest|secret|code|key|fingerprint|pin|answers|body")


def event_classes() -> list[type[Any]]:
    """Every aggregate event class defined in a module of ``domain``, nested ones included."""
    found: dict[str, type[Any]] = {}

    def walk(owner: type[Any] | types.ModuleType, module: str) -> None:
        for value in vars(owner).values():
            if inspect.isclass(value) and value.__module__ == module:
                if issubclass(value, CanMutateAggregate):
                    found[f"{module}:{value.__qualname__}"] = value
                if value is not owner:
                    walk(value, module)

    for info in pkgutil.walk_packages(domain.__path__, "domain."):
        if info.name.startswith(SKIPPED_MODULES):
            continue  # the timeline gives them no row (tested in tests/e2e)
        module = importlib.import_module(info.name)
        walk(module, module.__name__)
    return [found[name] for name in sorted(found)]


EVENTS = event_classes()


def fields_of(cls: type[Any]) -> dict[str, Any]:
    """The event's constructor parameters and their types."""
    hints = typing.get_type_hints(cls)
    names = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    return {name: hints.get(name, str) for name in names}


def realistic(name: str, hint: Any, secrets: list[str]) -> Any:
    """A value for field ``name``: secret-looking where the name says so (and remembered in
    ``secrets``), and otherwise plausible but laced with card numbers, which must not show."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    origin = typing.get_origin(hint) or hint
    if name == "originator_id":
        return uuid4()
    if name == "originator_version":
        return 3
    if name == "originator_topic":
        return "domain.account:Account"
    if origin is dict:
        secret = f"{name}-s3cr3t-{uuid4().hex}"
        secrets.append(secret)
        return {"name": f"Town Hall {CARD}", "password": secret, "hashes": {"host": secret}}
    if PRIVATE.search(name):
        secret = f"{name}-s3cr3t-{uuid4().hex}-{CARDS[1]}"
        secrets.append(secret)
        return secret
    if origin is bool:
        return True
    if origin is int:
        return int(CARDS[2])  # an amount or count: a card number in it is masked all the same
    if origin is datetime:
        return AT
    if origin is date:
        return AT.date()
    if origin is UUID:
        return uuid4()
    if isinstance(origin, type) and issubclass(origin, Enum):
        return next(iter(origin))
    if origin in (list, tuple):
        return [f"ann+{CARDS[0]}@example.com"]
    if "email" in name:
        return f"ann.{CARDS[0]}@example.com"
    return f"{name.replace('_', ' ')} {CARD}, by card {CARDS[0]}"


def build(cls: type[Any]) -> tuple[Any, list[str]]:
    secrets: list[str] = []
    values = {name: realistic(name, hint, secrets) for name, hint in fields_of(cls).items()}
    return cls(**values), secrets


def test_every_event_class_is_found() -> None:
    """The walk finds events of every bounded context, the card-carrying one included."""
    names = {cls.__qualname__ for cls in EVENTS}
    assert {"Account.PaymentMethodSet", "Login.PasswordSet", "Room.Scheduled"} <= names
    assert {"Ledger.EntryRecorded", "Invitation.TokenGiven", "ApiKey.Issued"} <= names
    assert len(EVENTS) > 60


@pytest.mark.parametrize("cls", EVENTS, ids=lambda cls: cls.__qualname__)
def test_an_events_timeline_text_holds_no_card_number_or_secret(cls: type[Any]) -> None:
    """Rendered for the timeline, the event shows no card-like digit run and no secret value."""
    event, secrets = build(cls)
    text = summarize(event)
    assert text.startswith(cls.__qualname__)
    assert card_numbers_in(text) == [], text
    assert not [card for card in (*CARDS, CARD) if card in text], text
    for secret in secrets:
        assert secret not in text, text
        assert secret.split("-")[2] not in text, text  # nor the secret's random part alone


@pytest.mark.parametrize("cls", EVENTS, ids=lambda cls: cls.__qualname__)
def test_every_field_of_every_event_is_decided(cls: type[Any]) -> None:
    """Each field is either shown or left out on purpose, and no secret-named one is shown."""
    names = set(fields_of(cls))
    assert names <= SHOWN | LEFT_OUT, f"decide whether to show {sorted(names - SHOWN - LEFT_OUT)}"
    assert not {name for name in names & SHOWN if PRIVATE.search(name)}


def test_safe_facts_still_show() -> None:
    """The allowlist keeps what a person needs: a room's name, an amount, a card's last 4."""
    [room] = [cls for cls in EVENTS if cls.__qualname__ == "Room.Scheduled"]
    text = summarize(build(room)[0])
    assert "name=Town Hall card ending 4242" in text
    [method] = [cls for cls in EVENTS if cls.__qualname__ == "Account.PaymentMethodSet"]
    event = method(
        originator_id=uuid4(),
        originator_version=2,
        timestamp=AT,
        kind="card",
        token="sbx_card_approved_0123456789abcdef01234567",
        label="card ending 4242",
        last4="4242",
        brand="visa",
        at=AT,
    )
    assert summarize(event) == (
        "Account.PaymentMethodSet: kind=card, label=card ending 4242, last4=4242, brand=visa"
    )


@pytest.mark.parametrize("cls", EVENTS, ids=lambda cls: cls.__qualname__)
def test_billing_and_subaccount_rows_are_for_the_owner(cls: type[Any]) -> None:
    """Ledger, subaccount, webhook (0034) and Account billing events are owner-only; rooms and
    people are not."""
    event, _ = build(cls)
    kind, module = cls.__qualname__, cls.__module__
    billing = module in ("domain.ledger", "domain.subaccount", "domain.webhook") or (
        kind.startswith("Account.")
        and kind not in ("Account.Opened", "Account.TrialExpired", "Account.Closed")
    )
    assert owner_only(event) is billing
