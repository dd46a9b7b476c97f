"""Answers about webhook endpoints and their deliveries."""

from __future__ import annotations

from typing import Any

from api.responses.base import Answer


class Endpoint(Answer):
    id: str
    url: str
    kinds: list[str]
    description: str
    enabled: bool
    secret_generation: int


class EndpointWithSecret(Endpoint):
    """An endpoint and its signing secret: shown on creation and rotation only."""

    secret: str


class Endpoints(Answer):
    webhooks: list[Endpoint]


class Kinds(Answer):
    kinds: list[dict[str, str]]


class Deleted(Answer):
    id: str
    deleted: bool


class Replay(Answer):
    id: str
    replay: int
    position: int | None
    since: str | None


class Deliveries(Answer):
    deliveries: list[dict[str, Any]]
