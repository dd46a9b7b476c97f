"""Answers about a participant's media connections (decision 0024)."""

from __future__ import annotations

from typing import Literal

from api.responses.base import Answer


class MediaConnection(Answer):
    """Which of your connections the call was about: ``receive`` or ``publish``."""

    purpose: Literal["receive", "publish"]


class MediaAnswer(MediaConnection):
    """The SFU's answer to your offer: set it as the remote description."""

    type: Literal["answer"]
    sdp: str
