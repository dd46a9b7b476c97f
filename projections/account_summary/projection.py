"""Account, Subaccount and Login events to accounts, subaccounts and logins rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from domain.account import Account
from domain.login import Login
from domain.plans import TRIAL_DAYS
from domain.subaccount import Subaccount
from projections.store import Cursor

Handler = Callable[[Cursor, Any], None]  # keyed by event class qualname: the decorator-made
# event classes exist only at run time, so they are named, not referenced


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _set(cursor: Cursor, table: str, key: str, row_id: Any, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = %s" for name in columns)
    cursor.execute(
        f"UPDATE {table} SET {assignments} WHERE {key} = %s",  # noqa: S608 - names are ours
        (*columns.values(), str(row_id)),
    )


def _update_json(
    cursor: Cursor, account_id: Any, column: str, change: Callable[[dict[str, Any]], None]
) -> None:
    cursor.execute(
        f"SELECT {column} FROM accounts WHERE account_id = %s",  # noqa: S608
        (str(account_id),),
    )
    row = cursor.fetchone()
    value = json.loads(row[column]) if row else {}
    change(value)
    _set(
        cursor, "accounts", "account_id", account_id, **{column: json.dumps(value, sort_keys=True)}
    )


def _opened(cursor: Cursor, e: Any) -> None:
    cursor.execute(
        "INSERT INTO accounts (account_id, name, owner_email, nonprofit, status, trial_ends, "
        "add_ons, packages, promo_codes, opened_at) "
        "VALUES (%s, %s, %s, %s, 'trial', %s, '{}', '{}', '{}', %s)",
        (
            str(e.originator_id),
            e.name,
            e.owner_email,
            bool(e.nonprofit),
            _iso(e.at + timedelta(days=TRIAL_DAYS)),
            _iso(e.at),
        ),
    )


def _period(cursor: Cursor, e: Any, **more: Any) -> None:
    _set(
        cursor,
        "accounts",
        "account_id",
        e.originator_id,
        plan_id=e.plan_id,
        cycle=str(e.cycle),
        period_start=_iso(e.period_start),
        period_end=_iso(e.period_end),
        scheduled_plan_id=None,
        scheduled_cycle=None,
        **more,
    )


def _one_less(size: str) -> Callable[[dict[str, Any]], None]:
    def change(packages: dict[str, Any]) -> None:
        packages[size] -= 1

    return change


def _renewed(cursor: Cursor, e: Any) -> None:
    _period(cursor, e)
    for sub_id in e.ended_subaccounts:
        cursor.execute("SELECT package_size FROM subaccounts WHERE subaccount_id = %s", (sub_id,))
        row = cursor.fetchone()
        if row is not None:
            _update_json(cursor, e.originator_id, "packages", _one_less(str(row["package_size"])))
    for add_on in getattr(e, "dropped_add_ons", None) or ():
        _update_json(cursor, e.originator_id, "add_ons", _without(add_on))


def _without(key: str) -> Callable[[dict[str, Any]], None]:
    def change(values: dict[str, Any]) -> None:
        values.pop(key, None)

    return change


def _seat_released(cursor: Cursor, e: Any) -> None:
    dropped = getattr(e, "dropped_package", None)
    if dropped is not None:
        _update_json(cursor, e.originator_id, "packages", _one_less(str(dropped)))


def _add(column: str, key: str) -> Handler:
    def handler(cursor: Cursor, e: Any) -> None:
        name, quantity = str(getattr(e, key)), e.quantity
        _update_json(
            cursor, e.originator_id, column, lambda v: v.update({name: v.get(name, 0) + quantity})
        )

    return handler


def _status(status: str, **more: Callable[[Any], Any]) -> Handler:
    def handler(cursor: Cursor, e: Any) -> None:
        extra = {column: read(e) for column, read in more.items()}
        _set(cursor, "accounts", "account_id", e.originator_id, status=status, **extra)

    return handler


def _sub_status(status: str, **more: Callable[[Any], Any]) -> Handler:
    def handler(cursor: Cursor, e: Any) -> None:
        extra = {column: read(e) for column, read in more.items()}
        _set(cursor, "subaccounts", "subaccount_id", e.originator_id, status=status, **extra)

    return handler


def _assigned(cursor: Cursor, e: Any) -> None:
    cursor.execute(
        "INSERT INTO subaccounts (subaccount_id, parent_id, page_name, user_name, email, "
        "package_size, status, assigned_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            str(e.originator_id),
            str(e.parent_id),
            e.page_name,
            e.user_name,
            e.email,
            e.package_size,
            "pending_activation",
            _iso(e.at),
        ),
    )


def _registered(cursor: Cursor, e: Any) -> None:
    cursor.execute(
        "INSERT INTO logins (login_id, account_id, email, role, status, registered_at) "
        "VALUES (%s, %s, %s, %s, %s, %s)",
        (
            str(e.originator_id),
            str(e.account_id),
            e.email,
            str(e.role),
            "active" if e.password_hash else "invited",
            _iso(e.at),
        ),
    )


def _login_status(status: str) -> Handler:
    def handler(cursor: Cursor, e: Any) -> None:
        _set(cursor, "logins", "login_id", e.originator_id, status=status)

    return handler


HANDLERS: dict[str, Handler] = {
    "Account.Opened": _opened,
    "Account.PaymentMethodSet": lambda c, e: _set(
        c, "accounts", "account_id", e.originator_id, payment_method=e.label
    ),
    "Account.Subscribed": lambda c, e: _period(c, e, status="active", trial_ends=None),
    "Account.Upgraded": lambda c, e: _set(
        c,
        "accounts",
        "account_id",
        e.originator_id,
        plan_id=e.plan_id,
        scheduled_plan_id=None,
        scheduled_cycle=None,
    ),
    "Account.DowngradeScheduled": lambda c, e: _set(
        c,
        "accounts",
        "account_id",
        e.originator_id,
        scheduled_plan_id=e.plan_id,
        scheduled_cycle=str(e.cycle),
        promo_codes="{}",
    ),
    "Account.PromoCodeApplied": lambda c, e: _update_json(
        c, e.originator_id, "promo_codes", lambda v: v.update({e.code: e.percent_off})
    ),
    "Account.Cancelled": _status(
        "cancelled",
        ends_at=lambda e: _iso(e.ends_at),
        scheduled_plan_id=lambda e: None,
        scheduled_cycle=lambda e: None,
    ),
    "Account.Closed": _status("closed"),
    "Account.TrialExpired": _status("trial_expired"),
    "Account.Renewed": _renewed,
    "Account.PaymentFailed": _status("past_due"),
    "Account.PaymentSettled": _status("active"),
    "Account.AddOnBought": _add("add_ons", "add_on"),
    "Account.PackagesBought": _add("packages", "size"),
    "Account.SeatReleased": _seat_released,
    "Subaccount.Assigned": _assigned,
    "Subaccount.Activated": _sub_status("active"),
    "Subaccount.Resized": lambda c, e: _set(
        c, "subaccounts", "subaccount_id", e.originator_id, package_size=e.package_size
    ),
    "Subaccount.Cancelled": _sub_status("cancelled", ends_at=lambda e: _iso(e.ends_at)),
    "Subaccount.Deleted": _sub_status("deleted"),
    "Login.Registered": _registered,
    "Login.PasswordSet": _login_status("active"),
    "Login.Disabled": _login_status("disabled"),
}


MODULES = {cls.__name__: cls.__module__ for cls in (Account, Subaccount, Login)}


class AccountSummaryProjection:
    """Keeps one row per account, subaccount and login."""

    name: str = "account_summary"
    topics: tuple[str, ...] = tuple(f"{MODULES[name.split('.')[0]]}:{name}" for name in HANDLERS)
    tables: tuple[str, ...] = ("accounts", "subaccounts", "logins")

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        handler = HANDLERS.get(type(event).__qualname__)
        if handler is not None:
            handler(cursor, event)
