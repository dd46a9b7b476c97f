"""WebhookEndpoint events to the endpoints and replays the owner sees and the worker follows."""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.utils import get_topic

from domain.webhook import WebhookEndpoint
from projections.store import Cursor

NAME = "webhooks"
E = WebhookEndpoint


class WebhooksProjection:
    """One row per endpoint (``webhook_endpoints``) and per replay asked (``webhook_replays``)."""

    name: str = NAME
    topics: tuple[str, ...] = tuple(
        get_topic(cls)
        for cls in (
            E.Registered,
            E.Changed,
            E.Disabled,
            E.Enabled,
            E.Deleted,
            E.SecretRotated,
            E.ReplayRequested,
        )
    )
    tables: tuple[str, ...] = ("webhook_endpoints", "webhook_replays")

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        endpoint_id, at = str(event.originator_id), event.at.isoformat()
        if isinstance(event, E.Registered):
            cursor.execute(
                "INSERT INTO webhook_endpoints (endpoint_id, account_id, url, kinds, description, "
                "status, generation, registered_position, created_at, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, 'enabled', 1, %s, %s, %s)",
                (
                    endpoint_id,
                    str(event.account_id),
                    event.url,
                    json.dumps(event.kinds),
                    event.description,
                    position,
                    at,
                    at,
                ),
            )
        elif isinstance(event, E.Changed):
            cursor.execute(
                "UPDATE webhook_endpoints SET url = %s, kinds = %s, description = %s, "
                "updated_at = %s WHERE endpoint_id = %s",
                (event.url, json.dumps(event.kinds), event.description, at, endpoint_id),
            )
        elif isinstance(event, E.Disabled | E.Enabled | E.Deleted):
            status = {E.Disabled: "disabled", E.Enabled: "enabled", E.Deleted: "deleted"}
            cursor.execute(
                "UPDATE webhook_endpoints SET status = %s, updated_at = %s WHERE endpoint_id = %s",
                (status[type(event)], at, endpoint_id),
            )
        elif isinstance(event, E.SecretRotated):
            cursor.execute(
                "UPDATE webhook_endpoints SET previous_generation = generation, generation = %s, "
                "rotated_at = %s, updated_at = %s WHERE endpoint_id = %s",
                (event.generation, at, at, endpoint_id),
            )
        elif isinstance(event, E.ReplayRequested):
            since = event.since.isoformat() if event.since is not None else None
            cursor.execute(
                "INSERT INTO webhook_replays (endpoint_id, replay, position, since, requested_at) "
                "VALUES (%s, %s, %s, %s, %s)",
                (endpoint_id, event.replay, event.position, since, at),
            )
