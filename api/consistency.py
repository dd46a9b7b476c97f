"""Read-your-writes: an answer waits for the read models its command changed, and no more.

One rule for the panel and /v1: after a command, each projection that reads any topic the
command appended is brought up to the command's own notification id (in this process when
projections run inline, else by waiting, bounded, for the projector process). A projection
stopped at a poison event, or still behind when the wait runs out, is named in the answer's
``Podium-Stale-Read-Models`` header instead of failing the request: the write itself was
accepted and is safe in the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.outcomes import http_status
from commands.unit_of_work import Result
from podium.bootstrap import Podium

STALE_HEADER = "Podium-Stale-Read-Models"
REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass(frozen=True)
class Settled:
    """A command's result once its read models were brought up to its write."""

    result: Result
    status: int  # the outcome's HTTP status (``api.outcomes``)
    stale: list[str]  # read models that still do not show the write

    @property
    def refused(self) -> bool:
        return self.result.outcome.refused

    def headers(self) -> dict[str, str]:
        """The panel's headers: a replayed answer says so; stale read models are named."""
        headers = {REPLAYED_HEADER: "true"} if self.result.replayed else {}
        if self.stale:
            headers[STALE_HEADER] = ", ".join(self.stale)
        return headers


def settle(podium: Podium, result: Result) -> Settled:
    """The one path from a command's result to an answer, for both APIs: wait for the read
    models it changed (a refusal too: a declined payment's attempt is in the ledger), then map
    its outcome to a status."""
    return Settled(result, http_status(result.outcome), read_your_writes(podium, result))


def read_your_writes(podium: Podium, result: Result) -> list[str]:
    """Bring the read models ``result`` changed up to its write; return those that are not."""
    if result.position == 0 or (result.topics is not None and not result.topics):
        return []  # the command appended nothing
    podium.policies.wake()  # reactions to this write start now, not at the runner's next poll
    position = result.position
    if position is None:  # a replayed answer: its write is somewhere before the head
        position = podium.store.recorder.max_notification_id() or 0
    return podium.projector.wait_for(
        position,
        result.topics,
        podium.settings.read_your_writes_timeout,
        catch_up=podium.settings.project_inline,
    )
