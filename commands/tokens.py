"""One-time tokens for emailed links (password reset, activation) and API keys.

A link token is ``<login id hex>.<secret>``: the id finds the login without an index, and only
the secret's SHA-256 digest is stored. API keys are random and stored only as digests too.
"""

from __future__ import annotations

import hashlib
import secrets
from uuid import UUID

from domain.errors import InvalidRequestError

API_KEY_PREFIX = "pdm_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_link_token(login_id: UUID) -> tuple[str, str]:
    """A fresh (token for the link, digest to store)."""
    secret = secrets.token_urlsafe(24)
    return f"{login_id.hex}.{secret}", digest(secret)


def parse_link_token(token: str) -> tuple[UUID, str]:
    """(login id, digest of the secret) of a link token; InvalidRequestError if malformed."""
    login_hex, _, secret = token.strip().partition(".")
    try:
        login_id = UUID(hex=login_hex)
    except ValueError:
        raise InvalidRequestError("the link token is malformed") from None
    if not secret:
        raise InvalidRequestError("the link token is malformed")
    return login_id, digest(secret)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)
