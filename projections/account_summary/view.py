"""Queries of the account summary: what the panel shows and what the scheduler looks for."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from domain.charges import effective_limits
from domain.plans import MAX_EXTRA_CAMERA_FEEDS, TRIAL_LIMITS, plan_by_id
from projections.store import ReadStore, Row

DUE_STATUSES = ("trial", "active", "past_due", "cancelled")


class AccountSummaryView:
    """Accounts as the panel UI reads them."""

    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def account(self, account_id: str) -> dict[str, Any] | None:
        rows = self.store.query("SELECT * FROM accounts WHERE account_id = %s", (account_id,))
        if not rows:
            return None
        row = rows[0]
        add_ons = json.loads(row.pop("add_ons"))
        packages = {int(size): n for size, n in json.loads(row.pop("packages")).items() if n}
        plan = plan_by_id(row["plan_id"]) if row["plan_id"] else None
        subaccounts = self.subaccounts(account_id)
        held: dict[int, int] = {}
        for sub in subaccounts:
            if sub["status"] != "deleted":
                held[sub["package_size"]] = held.get(sub["package_size"], 0) + 1
        return {
            **row,
            "nonprofit": bool(row["nonprofit"]),
            "promo_codes": json.loads(row.pop("promo_codes")),
            "plan": plan.as_dict() if plan else {"id": "trial", "name": "Free trial"},
            "limits": (effective_limits(plan, add_ons) if plan else TRIAL_LIMITS).as_dict(),
            "add_ons": add_ons,
            "camera_feed_add_ons_left": MAX_EXTRA_CAMERA_FEEDS - add_ons.get("camera_feed", 0),
            "subaccount_packages": [
                {"package_size": size, "bought": n, "free": n - held.get(size, 0)}
                for size, n in sorted(packages.items())
            ],
            "subaccounts": [s for s in subaccounts if s["status"] != "deleted"],
            "members": self.logins(account_id),
        }

    def subaccount(self, subaccount_id: str) -> dict[str, Any] | None:
        rows = self.store.query(
            "SELECT * FROM subaccounts WHERE subaccount_id = %s", (subaccount_id,)
        )
        if not rows or rows[0]["status"] == "deleted":
            return None
        row = rows[0]
        limits = effective_limits(plan_by_id(f"live-{row['package_size']}"), {})
        return {**row, "limits": limits.as_dict(), "members": self.logins(subaccount_id)}

    def subaccounts(self, parent_id: str) -> list[Row]:
        return self.store.query(
            "SELECT subaccount_id, page_name, user_name, email, package_size, status, ends_at, "
            "assigned_at FROM subaccounts WHERE parent_id = %s ORDER BY assigned_at",
            (parent_id,),
        )

    def logins(self, account_id: str) -> list[Row]:
        return self.store.query(
            "SELECT login_id, email, role, status, registered_at FROM logins "
            "WHERE account_id = %s AND status <> 'disabled' ORDER BY registered_at",
            (account_id,),
        )

    def due(self, now: datetime, limit: int = 500) -> list[str]:
        """Accounts whose trial or period has ended by ``now``: the scheduler's work list."""
        moment = now.isoformat()
        rows = self.store.query(
            "SELECT account_id FROM accounts WHERE "
            "(status = 'trial' AND trial_ends <= %s) OR "
            "(status IN ('active', 'past_due', 'cancelled') AND period_end <= %s) "
            "ORDER BY account_id LIMIT %s",
            (moment, moment, limit),
        )
        return [row["account_id"] for row in rows]
