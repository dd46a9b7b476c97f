"""Recorder and RecordingAccount events (and presenters-only periods) to recording rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.utils import get_topic as topic

from domain.live.audio import Audio, Mode
from domain.live.recording import Recorder, RecordingAccount, stored_recording_id
from domain.live.settings import LiveSettings
from projections.store import Cursor

# The audio module's events (decision 0016): its stream's created event names the room and
# session, and a mode change into presenters only opens a period nothing is recorded in; any
# other mode closes it.
AUDIO_OPENED = topic(Audio.Opened)
AUDIO_MODE_CHANGED = topic(Audio.ModeChanged)


class RecordingsProjection:
    """One row per recording of a session, one per account's usage, and the periods of a
    session spent in presenters-only mode (nothing is recorded in them)."""

    name: str = "recordings"
    topics: tuple[str, ...] = (
        *(
            topic(cls)
            for cls in (
                Recorder.Opened,
                Recorder.Started,
                Recorder.Stopped,
                RecordingAccount.Opened,
                RecordingAccount.AutostartSet,
                RecordingAccount.Used,
                RecordingAccount.Stored,
                LiveSettings.Opened,
                LiveSettings.LanguageChanged,
            )
        ),
        AUDIO_OPENED,
        AUDIO_MODE_CHANGED,
    )
    tables: tuple[str, ...] = (
        "recorders",
        "recordings",
        "recording_usage",
        "presenters_only_periods",
        "live_languages",
        "recording_audio_streams",
        "stored_recordings",
    )

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if isinstance(event, Audio.Opened | Audio.ModeChanged):
            self._audio(cursor, event)
            return
        recorder_id = str(event.originator_id)  # or the LiveSettings stream's
        if isinstance(event, Recorder.Opened):
            cursor.execute(
                "INSERT INTO recorders (recorder_id, room_id, session, account_id) "
                "VALUES (%s, %s, %s, %s)",
                (recorder_id, str(event.room_id), event.session, str(event.account_id)),
            )
        elif isinstance(event, Recorder.Started):
            cursor.execute(
                "INSERT INTO recordings (recorder_id, number, room_id, session, account_id, "
                "language, started_by, autostart, started_at) "
                "SELECT recorder_id, %s, room_id, session, account_id, %s, %s, %s, %s "
                "FROM recorders WHERE recorder_id = %s",
                (
                    event.number,
                    event.language,
                    event.email,
                    event.autostart,
                    event.at.isoformat(),
                    recorder_id,
                ),
            )
        elif isinstance(event, Recorder.Stopped):
            cursor.execute(
                "UPDATE recordings SET stopped_at = %s, stopped_by = %s, stop_reason = %s, "
                "seconds = %s WHERE recorder_id = %s AND number = %s",
                (
                    event.at.isoformat(),
                    event.email,
                    event.reason,
                    event.seconds,
                    recorder_id,
                    event.number,
                ),
            )
        elif isinstance(event, LiveSettings.Opened):
            cursor.execute(
                "INSERT INTO live_languages (stream_id, room_id, session, language) "
                "VALUES (%s, %s, %s, %s)",
                (recorder_id, str(event.room_id), event.session, event.language),
            )
        elif isinstance(event, LiveSettings.LanguageChanged):
            cursor.execute(
                "UPDATE live_languages SET language = %s WHERE stream_id = %s",
                (event.language, recorder_id),
            )
        else:
            self._account(cursor, event)

    @staticmethod
    def _account(cursor: Cursor, event: Any) -> None:
        stream_id = str(event.originator_id)
        if isinstance(event, RecordingAccount.Opened):
            cursor.execute(
                "INSERT INTO recording_usage (stream_id, account_id, autostart, used_seconds) "
                "VALUES (%s, %s, %s, 0)",
                (stream_id, str(event.account_id), False),
            )
        elif isinstance(event, RecordingAccount.AutostartSet):
            cursor.execute(
                "UPDATE recording_usage SET autostart = %s WHERE stream_id = %s",
                (event.autostart, stream_id),
            )
        elif isinstance(event, RecordingAccount.Used):
            cursor.execute(
                "UPDATE recording_usage SET used_seconds = used_seconds + %s WHERE stream_id = %s",
                (event.seconds, stream_id),
            )
        elif isinstance(event, RecordingAccount.Stored):
            cursor.execute(
                "UPDATE recording_usage SET used_seconds = used_seconds + %s, "
                "stored_bytes = stored_bytes + %s WHERE stream_id = %s",
                (event.recounted, event.size, stream_id),
            )
            cursor.execute(
                "INSERT INTO stored_recordings (recording_id, account_id, room_id, session, "
                "number, storage_key, content_type, size_bytes, seconds, created_at) "
                "SELECT %s, account_id, %s, %s, %s, %s, %s, %s, %s, %s "
                "FROM recording_usage WHERE stream_id = %s",
                (
                    str(stored_recording_id(event.room_id, event.session, event.number)),
                    str(event.room_id),
                    event.session,
                    event.number,
                    event.storage_key,
                    event.content_type,
                    event.size,
                    event.seconds,
                    event.at.isoformat(),
                    stream_id,
                ),
            )

    def _audio(self, cursor: Cursor, event: Audio.Opened | Audio.ModeChanged) -> None:
        stream_id = str(event.originator_id)
        if isinstance(event, Audio.Opened):
            cursor.execute(
                "INSERT INTO recording_audio_streams (stream_id, room_id, session) "
                "VALUES (%s, %s, %s)",
                (stream_id, str(event.room_id), event.session),
            )
            return
        cursor.execute(
            "SELECT room_id, session FROM recording_audio_streams WHERE stream_id = %s",
            (stream_id,),
        )
        row = cursor.fetchone()
        if row is not None:
            on = event.mode == Mode.PRESENTERS_ONLY
            self.presenters_only(cursor, row["room_id"], int(row["session"]), on, event.at)

    @staticmethod
    def presenters_only(cursor: Cursor, room_id: str, session: int, on: bool, at: datetime) -> None:
        """The session's audio mode became presenters only (``on``) or left it: open or close
        the period. Fed by the audio module's mode-changed event (see ``topics``)."""
        if on:
            cursor.execute(
                "INSERT INTO presenters_only_periods (room_id, session, started_at) "
                "VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                (room_id, session, at.isoformat()),
            )
        else:
            cursor.execute(
                "UPDATE presenters_only_periods SET ended_at = %s "
                "WHERE room_id = %s AND session = %s AND ended_at IS NULL",
                (at.isoformat(), room_id, session),
            )
