"""Subaccounts: assign one from a bought package, resize, cancel, delete, reassign, log in."""

from __future__ import annotations

from uuid import UUID

from commands import mail
from commands.accounts import ACTIVATION_LINK_LIFETIME, Principal, new_login
from commands.tokens import digest, new_link_token
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.account import Account
from domain.api_key import SUBACCOUNT_SESSION, ApiKey
from domain.errors import NotFoundError
from domain.login import Login, Role
from domain.plans import package_price
from domain.subaccount import Subaccount


def end_subaccount(unit: UnitOfWork, sub: Subaccount) -> None:
    """Delete a subaccount with its data, and shut its login out."""
    if sub.is_live:
        sub.delete(unit.now)
    login = unit.find(Login, Login.id_for(sub.email))
    if login is not None:
        login.disable(unit.now)


def subaccount_state(sub: Subaccount) -> dict[str, object]:
    return {
        "subaccount_id": str(sub.id),
        "page_name": sub.page_name,
        "user_name": sub.user_name,
        "email": sub.email,
        "package_size": sub.package_size,
        "status": str(sub.status),
        "ends_at": sub.ends_at.isoformat() if sub.ends_at else None,
    }


class Subaccounts:
    """A parent account's subaccounts."""

    def __init__(self, runner: CommandRunner, base_url: str, link_key: bytes) -> None:
        self.runner = runner
        self.base_url = base_url
        self.link_key = link_key  # the server's secret: emailed links are derived with it

    def assign(
        self,
        parent_id: UUID,
        page_name: str,
        user_name: str,
        email: str,
        package_size: int,
        idem: Idempotency | None = None,
    ) -> Result:
        """Created, not active: an activation email goes to ``email``."""
        package_price(package_size)

        def command(unit: UnitOfWork) -> Result:
            return Result(
                Outcome.CREATED,
                self._assign(unit, parent_id, page_name, user_name, email, package_size),
            )

        return self.runner.run(command, idem)

    def _assign(
        self,
        unit: UnitOfWork,
        parent_id: UUID,
        page_name: str,
        user_name: str,
        email: str,
        package_size: int,
    ) -> dict[str, object]:
        parent = unit.get(Account, parent_id, "account")
        sub = unit.add(
            Subaccount(parent.id, page_name, user_name, email.lower(), package_size, unit.now)
        )
        parent.assign_seat(sub.id, package_size)
        login = new_login(unit, email, sub.id, Role.SUBACCOUNT, None)
        token, token_digest = new_link_token(login.id, self.link_key)
        login.issue_token(token_digest, unit.now + ACTIVATION_LINK_LIFETIME, unit.now)
        why = (
            f"{parent.name} created the Podium subaccount {page_name} for you "
            f"({package_size} attendees)."
        )
        link = f"{self.base_url}/activate?token={token}"
        mail.activation(unit, parent.id, login.email, link, page_name, why)
        return subaccount_state(sub)

    def resize(
        self, parent_id: UUID, sub_id: UUID, package_size: int, idem: Idempotency | None = None
    ) -> Result:
        package_price(package_size)

        def command(unit: UnitOfWork) -> Result:
            parent, sub = self._pair(unit, parent_id, sub_id)
            parent.resize_seat(sub.id, package_size)
            sub.resize(package_size, unit.now)
            return Result(Outcome.DONE, subaccount_state(sub))

        return self.runner.run(command, idem)

    def delete(self, parent_id: UUID, sub_id: UUID) -> Result:
        """At once, with all its data; cannot be undone. The package stays, free to reassign."""

        def command(unit: UnitOfWork) -> Result:
            parent, sub = self._pair(unit, parent_id, sub_id)
            parent.release_seat(sub.id)
            end_subaccount(unit, sub)
            return Result(Outcome.DONE, subaccount_state(sub))

        return self.runner.run(command)

    def cancel(self, parent_id: UUID, sub_id: UUID, idem: Idempotency | None = None) -> Result:
        """Active to the end of the billing period, then deleted; no further charge."""

        def command(unit: UnitOfWork) -> Result:
            parent, sub = self._pair(unit, parent_id, sub_id)
            ends_at = parent.cancel_seat(sub.id)
            sub.cancel(ends_at, unit.now)
            return Result(Outcome.DONE, subaccount_state(sub))

        return self.runner.run(command, idem)

    def reassign(
        self,
        parent_id: UUID,
        sub_id: UUID,
        page_name: str,
        user_name: str,
        email: str,
        package_size: int,
        idem: Idempotency | None = None,
    ) -> Result:
        """Delete the subaccount, then assign its package to someone else, in one step."""
        package_price(package_size)

        def command(unit: UnitOfWork) -> Result:
            parent, sub = self._pair(unit, parent_id, sub_id)
            parent.release_seat(sub.id)
            end_subaccount(unit, sub)
            body = self._assign(unit, parent_id, page_name, user_name, email, package_size)
            return Result(Outcome.CREATED, body)

        return self.runner.run(command, idem)

    def log_into(
        self, who: Principal, sub_id: UUID, raw_key: str, idem: Idempotency | None = None
    ) -> Result:
        """A key with which the parent's owner acts inside the subaccount."""

        def command(unit: UnitOfWork) -> Result:
            _, sub = self._pair(unit, who.account_id, sub_id)
            if not sub.is_live:
                raise NotFoundError("subaccount not found")
            login = unit.get(Login, who.login_id, "login")
            generation = login.password_generation
            key = ApiKey(
                digest(raw_key), sub.id, login.id, SUBACCOUNT_SESSION, unit.now, generation
            )
            unit.add(key)
            return Result(Outcome.CREATED, {"subaccount_id": str(sub.id)})

        return self.runner.run(command, idem)

    @staticmethod
    def _pair(unit: UnitOfWork, parent_id: UUID, sub_id: UUID) -> tuple[Account, Subaccount]:
        """The parent and its subaccount; another account's subaccount is simply not found."""
        sub = unit.find(Subaccount, sub_id)
        if sub is None or sub.parent_id != parent_id or not sub.is_live:
            raise NotFoundError("subaccount not found")
        return unit.get(Account, parent_id, "account"), sub
