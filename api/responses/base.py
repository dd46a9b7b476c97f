"""The base of every answer schema, and the plain status answer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Answer(BaseModel):
    """An answer object: the documented keys, and possibly more."""

    model_config = ConfigDict(extra="allow")


class Status(Answer):
    status: str
