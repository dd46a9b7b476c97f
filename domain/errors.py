"""The domain's exception tree.

DomainError                    a command the rules refuse (the API answers 409 or 422)
├── InvalidRequestError        the request itself is malformed or out of range (422)
├── RuleViolationError         well-formed, but the current state forbids it (409)
│   └── LimitExceededError     over what the plan or a package allows (409)
└── NotFoundError              the thing named does not exist here (404)
"""

from __future__ import annotations


class DomainError(Exception):
    """A command refused by the domain rules; the message says why, for a person."""


class InvalidRequestError(DomainError, ValueError):
    """The request is malformed or out of range whatever the state."""


class RuleViolationError(DomainError):
    """The request is well-formed but the current state forbids it."""


class LimitExceededError(RuleViolationError):
    """The request would exceed what the plan, an add-on or a package allows."""


class NotFoundError(DomainError, LookupError):
    """The thing the request names does not exist (or is not visible to the caller)."""
