"""Stage events to stages rows: the last presentation and the last video word of a session."""

from __future__ import annotations

from typing import Any

from domain.live.stage import Stage
from projections.store import Cursor

EVENTS: tuple[type, ...] = (
    Stage.Opened,
    Stage.PresentationShown,
    Stage.PresentationStopped,
    Stage.VideoShown,
    Stage.VideoStopped,
)


class StageProjection:
    """One row per session's stage."""

    name: str = "stage"
    topics: tuple[str, ...] = tuple(f"{cls.__module__}:{cls.__qualname__}" for cls in EVENTS)
    tables: tuple[str, ...] = ("stages",)

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        stage_id = str(event.originator_id)
        if isinstance(event, Stage.Opened):
            cursor.execute(
                "INSERT INTO stages (stage_id, room_id, session) VALUES (%s, %s, %s)",
                (stage_id, str(event.room_id), event.session),
            )
            return
        at = event.at.isoformat()
        if isinstance(event, Stage.PresentationShown):
            sql = "file_id = %s, file_name = %s, page = %s"
            values: tuple[Any, ...] = (event.file_id, event.name, event.page)
        elif isinstance(event, Stage.PresentationStopped):
            sql, values = "file_id = NULL, file_name = NULL, page = NULL", ()
        elif isinstance(event, Stage.VideoShown):
            sql = "video_id = %s, video_position_ms = %s, video_playing = %s, video_at = %s"
            values = (event.video_id, event.position_ms, 1 if event.playing else 0, at)
        elif isinstance(event, Stage.VideoStopped):
            sql = "video_id = NULL, video_position_ms = NULL, video_playing = NULL, video_at = NULL"
            values = ()
        else:
            return
        cursor.execute(
            f"UPDATE stages SET {sql}, changed_at = %s WHERE stage_id = %s",  # noqa: S608 - ours
            (*values, at, stage_id),
        )
