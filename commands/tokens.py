"""One-time tokens for emailed links (password reset, activation) and API keys.

A link token is ``<login id hex>.<secret>``: the id finds the login without an index, and only
the secret's SHA-256 digest is stored. API keys are random and stored only as digests too.

The link's secret is never stored either, not even in the queued message that carries it: the
outbox (an event, and a read model analysts may query) holds a placeholder naming a random
nonce, ``{{link-token:<login id hex>.<nonce>}}``, and the mailer turns it into the token at
delivery, the secret being an HMAC of the nonce under the server's secret. Whoever reads the
log or the read models without that secret cannot follow the link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from uuid import UUID

from domain.errors import InvalidRequestError

API_KEY_PREFIX = "pdm_"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


_PLACEHOLDER = re.compile(r"\{\{link-token:([0-9a-f]{32})\.([A-Za-z0-9_-]{16,64})\}\}")


def _link_secret(key: bytes, login_hex: str, nonce: str) -> str:
    mac = hmac.new(key, f"podium-link\x1f{login_hex}\x1f{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def new_link_token(login_id: UUID, key: bytes) -> tuple[str, str]:
    """A fresh (placeholder for the link, digest to store): the placeholder goes in the mail
    and becomes the token when ``render_link_tokens`` is given the same ``key``."""
    nonce = secrets.token_urlsafe(16)
    secret = _link_secret(key, login_id.hex, nonce)
    return f"{{{{link-token:{login_id.hex}.{nonce}}}}}", digest(secret)


def render_link_tokens(text: str, key: bytes) -> str:
    """``text`` with each link-token placeholder replaced by the token it stands for."""

    def token(match: re.Match[str]) -> str:
        login_hex, nonce = match.groups()
        return f"{login_hex}.{_link_secret(key, login_hex, nonce)}"

    return _PLACEHOLDER.sub(token, text)


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
