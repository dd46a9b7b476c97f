"""Errors the write side adds to the domain's (see ``domain.errors`` for the rest of the tree).

DomainError
├── ConflictError              kept colliding with concurrent writers; retry (409)
├── AuthenticationError        no valid credential (401)
│   └── LoginLockedError       too many wrong passwords: refused even when right (401)
├── PermissionDeniedError      a valid credential that may not do this (403)
└── InvalidRequestError
    └── IdempotencyKeyReusedError   the key was used for another request (422)
"""

from __future__ import annotations

from domain.errors import DomainError, InvalidRequestError


class ConflictError(DomainError):
    """The command kept colliding with concurrent writers; the caller may retry."""


class AuthenticationError(DomainError):
    """The credentials are missing, wrong, revoked or belong to a closed login."""


class LoginLockedError(AuthenticationError):
    """A log-in refused, even with the right password, while the login is locked."""


class PermissionDeniedError(DomainError):
    """The caller is known but may not do this (a member moving money, say)."""


class IdempotencyKeyReusedError(InvalidRequestError):
    """An Idempotency-Key sent again with a different request."""
