"""Call-to-action events to calls_to_action and cta_clicks rows."""

from __future__ import annotations

from typing import Any

from domain.live.cta import CallToAction, CtaClick
from projections.store import Cursor


def _topic(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


class LiveCtaProjection:
    """One row per call to action displayed; one per person who clicked one, with a count."""

    name: str = "live_cta"
    topics: tuple[str, ...] = tuple(
        _topic(cls)
        for cls in (
            CallToAction.Displayed,
            CallToAction.Hidden,
            CtaClick.Clicked,
            CtaClick.ClickedAgain,
        )
    )
    tables: tuple[str, ...] = ("calls_to_action", "cta_clicks")

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if isinstance(event, CallToAction.Displayed):
            cursor.execute(
                "INSERT INTO calls_to_action (cta_id, room_id, session, position, description, "
                "button_text, url, minutes, displayed_by, displayed_at, hides_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    str(event.originator_id),
                    str(event.room_id),
                    event.session,
                    position,
                    event.description,
                    event.button_text,
                    event.url,
                    event.minutes,
                    event.by,
                    event.at.isoformat(),
                    event.hides_at.isoformat(),
                ),
            )
        elif isinstance(event, CallToAction.Hidden):
            cursor.execute(
                "UPDATE calls_to_action SET hidden_how = %s, hidden_at = %s WHERE cta_id = %s",
                (event.how, event.at.isoformat(), str(event.originator_id)),
            )
        elif isinstance(event, CtaClick.Clicked):
            cursor.execute(
                "INSERT INTO cta_clicks (click_id, cta_id, email, clicks, first_at, last_at) "
                "VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    str(event.originator_id),
                    str(event.cta_id),
                    event.email,
                    1,
                    event.at.isoformat(),
                    event.at.isoformat(),
                ),
            )
        elif isinstance(event, CtaClick.ClickedAgain):
            cursor.execute(
                "UPDATE cta_clicks SET clicks = clicks + 1, last_at = %s WHERE click_id = %s",
                (event.at.isoformat(), str(event.originator_id)),
            )
