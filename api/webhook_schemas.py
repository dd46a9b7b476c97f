"""Request bodies of the webhook routes (decision 0034)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, Field, model_validator

from api.schemas import INT_MAX, Body, Integral

Url = Annotated[str, Field(min_length=1, max_length=2048, description="http:// or https://")]
Kinds = Annotated[list[Annotated[str, Field(max_length=64)]], Field(min_length=1, max_length=64)]
Description = Annotated[str, Field(max_length=500)]


class WebhookIn(Body):
    url: Url
    kinds: Kinds
    description: Description = ""


class WebhookChange(Body):
    url: Url | None = None
    kinds: Kinds | None = None
    description: Description | None = None
    enabled: bool | None = None


class ReplayIn(Body):
    """Where a replay starts: after a position of the log, or at an instant (one of them)."""

    position: Annotated[int, Field(strict=True, ge=0, le=INT_MAX), Integral] | None = None
    since: AwareDatetime | None = None

    @model_validator(mode="after")
    def _one_start(self) -> ReplayIn:
        if (self.position is None) == (self.since is None):
            raise ValueError("give either position or since, not both and not neither")
        return self
