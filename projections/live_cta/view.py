"""Queries of a session's calls to action."""

from __future__ import annotations

from typing import Any

from projections.store import ReadStore

SHOWN = "cta_id, session, description, button_text, url, minutes, displayed_at, hides_at"


class LiveCtaView:
    def __init__(self, store: ReadStore) -> None:
        self.store = store

    def shown(self, room_id: str, session: int) -> dict[str, Any] | None:
        """The call to action shown in the session now, if one is."""
        rows = self.store.query(
            f"SELECT {SHOWN} FROM calls_to_action "  # noqa: S608 - our own columns
            "WHERE room_id = %s AND session = %s AND hidden_at IS NULL "
            "ORDER BY position DESC LIMIT 1",
            (room_id, session),
        )
        return rows[0] if rows else None

    def calls_to_action(self, room_id: str, session: int) -> list[dict[str, Any]]:
        """Every call to action of the session, first displayed first, with how many people
        clicked it (``attendees``, each once) and how many clicks there were."""
        rows = self.store.query(
            f"SELECT {SHOWN}, displayed_by, hidden_how, hidden_at, "  # noqa: S608 - ours
            "(SELECT COUNT(*) FROM cta_clicks k WHERE k.cta_id = c.cta_id) AS attendees, "
            "(SELECT COALESCE(SUM(k.clicks), 0) FROM cta_clicks k WHERE k.cta_id = c.cta_id) "
            "AS clicks FROM calls_to_action c WHERE room_id = %s AND session = %s "
            "ORDER BY position",
            (room_id, session),
        )
        return [
            {**row, "attendees": int(row["attendees"]), "clicks": int(row["clicks"])}
            for row in rows
        ]

    def clickers(self, cta_id: str) -> list[dict[str, Any]]:
        """Who clicked a call to action, first click first, with each one's clicks."""
        return self.store.query(
            "SELECT email, clicks, first_at, last_at FROM cta_clicks WHERE cta_id = %s "
            "ORDER BY first_at, email",
            (cta_id,),
        )
