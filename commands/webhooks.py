"""Webhook endpoints of an account: register, change, disable, delete, rotate, replay (0034).

The secret an endpoint signs with is never stored: it is an HMAC of the endpoint's id and its
secret generation under the server secret (``endpoint_secret``), so the delivery worker can
recompute it, a rotation is one event with a new generation, and the log, the read models and
the idempotency records hold nothing a reader could sign deliveries with.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlsplit
from uuid import UUID, uuid4

from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.errors import InvalidRequestError, NotFoundError
from domain.ids import derived_id
from domain.webhook import WebhookEndpoint
from domain.webhook_kinds import NAMES

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix that tells people what the value is
MAX_URL = 2048
MAX_ENDPOINTS = 20  # per account: each one is a queue the worker keeps


def endpoint_secret(server_secret: str, endpoint_id: UUID, generation: int) -> str:
    """The secret endpoint ``endpoint_id`` signs with at ``generation``."""
    mac = hmac.new(server_secret.encode(), f"webhook:{endpoint_id}:{generation}".encode(), "sha256")
    return SECRET_PREFIX + mac.hexdigest()


def is_private_host(host: str) -> bool:
    """Whether ``host`` names this machine or a private network by itself (a literal address,
    or ``localhost``); names that resolve there are caught again when delivering."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return not address.is_global


def check_url(url: str, allow_private: bool) -> str:
    """The URL as registered, or InvalidRequestError saying what is wrong with it."""
    url = url.strip()
    if len(url) > MAX_URL:
        raise InvalidRequestError(f"a webhook URL has at most {MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise InvalidRequestError(f"not a URL: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidRequestError("a webhook URL starts with https:// (or http://)")
    if not parts.hostname:
        raise InvalidRequestError("a webhook URL names a host")
    if parts.username or parts.password:
        raise InvalidRequestError("a webhook URL carries no user or password")
    if port == 0:
        raise InvalidRequestError("a webhook URL's port is 1 to 65535")
    if not allow_private and is_private_host(parts.hostname):
        raise InvalidRequestError(
            "a webhook URL must reach a public address, not this machine or a private network"
        )
    return url


def check_kinds(kinds: Sequence[str]) -> list[str]:
    chosen = list(dict.fromkeys(kinds))
    if not chosen:
        raise InvalidRequestError("name at least one event kind (see GET /webhooks/kinds)")
    unknown = sorted(set(chosen) - NAMES)
    if unknown:
        raise InvalidRequestError(
            f"unknown event kind(s): {', '.join(unknown)} (see GET /webhooks/kinds)"
        )
    return sorted(chosen)


class Webhooks:
    """An account's webhook endpoints."""

    def __init__(self, runner: CommandRunner, server_secret: str, allow_private: bool) -> None:
        self.runner = runner
        self.server_secret = server_secret
        self.allow_private = allow_private

    def secret(self, endpoint_id: UUID, generation: int) -> str:
        return endpoint_secret(self.server_secret, endpoint_id, generation)

    def register(
        self,
        account_id: UUID,
        url: str,
        kinds: Sequence[str],
        description: str,
        count: int,
        idem: Idempotency | None = None,
    ) -> Result:
        """A new endpoint; ``count`` is how many the account has (the read model's)."""
        url, chosen = check_url(url, self.allow_private), check_kinds(kinds)
        if count >= MAX_ENDPOINTS:
            raise InvalidRequestError(f"an account has at most {MAX_ENDPOINTS} webhook endpoints")
        # Under an Idempotency-Key the id comes from it, so even two racing first tries make
        # one endpoint (they collide on its first version).
        endpoint_id = derived_id("webhook", f"{idem.scope}\x1f{idem.key}") if idem else uuid4()

        def command(unit: UnitOfWork) -> Result:
            endpoint = unit.add(
                WebhookEndpoint(endpoint_id, account_id, url, chosen, description, unit.now)
            )
            return Result(Outcome.CREATED, self._body(endpoint))

        return self.runner.run(command, idem)

    def change(
        self,
        account_id: UUID,
        endpoint_id: UUID,
        url: str | None,
        kinds: Sequence[str] | None,
        description: str | None,
        enabled: bool | None,
    ) -> Result:
        new_url = check_url(url, self.allow_private) if url is not None else None
        new_kinds = check_kinds(kinds) if kinds is not None else None

        def command(unit: UnitOfWork) -> Result:
            endpoint = self._own(unit, account_id, endpoint_id)
            endpoint.change(
                new_url if new_url is not None else endpoint.url,
                new_kinds if new_kinds is not None else endpoint.kinds,
                description if description is not None else endpoint.description,
                unit.now,
            )
            if enabled is True:
                endpoint.enable(unit.now)
            elif enabled is False:
                endpoint.disable(unit.now)
            return Result(Outcome.DONE, self._body(endpoint))

        return self.runner.run(command)

    def delete(self, account_id: UUID, endpoint_id: UUID) -> Result:
        def command(unit: UnitOfWork) -> Result:
            endpoint = self._own(unit, account_id, endpoint_id)
            endpoint.delete(unit.now)
            return Result(Outcome.DONE, {"id": str(endpoint.id), "deleted": True})

        return self.runner.run(command)

    def rotate_secret(
        self, account_id: UUID, endpoint_id: UUID, idem: Idempotency | None
    ) -> Result:
        """A new secret generation; the body names it (the route adds the secret itself)."""

        def command(unit: UnitOfWork) -> Result:
            endpoint = self._own(unit, account_id, endpoint_id)
            endpoint.rotate_secret(unit.now)
            return Result(Outcome.DONE, self._body(endpoint))

        return self.runner.run(command, idem)

    def replay(
        self,
        account_id: UUID,
        endpoint_id: UUID,
        position: int | None,
        since: datetime | None,
        idem: Idempotency | None,
    ) -> Result:
        def command(unit: UnitOfWork) -> Result:
            endpoint = self._own(unit, account_id, endpoint_id)
            replay = endpoint.request_replay(position, since, unit.now)
            return Result(
                Outcome.ACCEPTED,
                {
                    "id": str(endpoint.id),
                    "replay": replay,
                    "position": position,
                    "since": since.isoformat() if since is not None else None,
                },
            )

        return self.runner.run(command, idem)

    @staticmethod
    def _own(unit: UnitOfWork, account_id: UUID, endpoint_id: UUID) -> WebhookEndpoint:
        endpoint = unit.find(WebhookEndpoint, endpoint_id)
        if endpoint is None or endpoint.account_id != account_id or endpoint.deleted:
            raise NotFoundError("webhook endpoint not found")
        return endpoint

    @staticmethod
    def _body(endpoint: WebhookEndpoint) -> dict[str, object]:
        return {
            "id": str(endpoint.id),
            "url": endpoint.url,
            "kinds": list(endpoint.kinds),
            "description": endpoint.description,
            "enabled": endpoint.enabled,
            "secret_generation": endpoint.generation,
        }
