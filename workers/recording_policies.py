"""What follows for recording from a session's start and end, and from a stopped recording.

- ``autostart_recording``: a session started; if its event or its account says auto-start,
  recording starts (unless the allowance is used up: then the session runs unrecorded).
- ``stop_recording_at_end``: a session ended; the recording in progress stops with it (a
  recording that outran the allowance runs until here).
- ``count_recording``: a recording stopped; its length counts against the account's allowance,
  so once it is used up no new recording starts.

Each issues one command under ``caused_by`` (decision 0013), so a replay or a second runner
does nothing twice.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic as topic

from commands.live.recording import RecordingReactions
from commands.store import EventStore
from domain.live.recording import Recorder
from domain.live_session import LiveSession
from workers.policies import Policy, caused_by


class AutostartRecording:
    """A session started: record it when the event or the account auto-starts recording."""

    name: str = "autostart_recording"
    topics: tuple[str, ...] = (topic(LiveSession.Started),)

    def __init__(self, recordings: RecordingReactions) -> None:
        self.recordings = recordings

    def react(self, event: Any, notification: Notification) -> None:
        assert isinstance(event, LiveSession.Started)
        key = caused_by(self.name, notification)
        self.recordings.autostart(event.room_id, event.n, key)


class StopRecordingAtEnd:
    """A session ended: its recording in progress stops."""

    name: str = "stop_recording_at_end"
    topics: tuple[str, ...] = (topic(LiveSession.Ended),)

    def __init__(self, store: EventStore, recordings: RecordingReactions) -> None:
        self.store, self.recordings = store, recordings

    def react(self, event: Any, notification: Notification) -> None:
        session = self.store.load(event.originator_id)
        assert isinstance(session, LiveSession)
        key = caused_by(self.name, notification)
        self.recordings.stop_at_end(session.room_id, session.n, key)


class CountRecording:
    """A recording stopped: what it used of the account's allowance is counted, once."""

    name: str = "count_recording"
    topics: tuple[str, ...] = (topic(Recorder.Stopped),)

    def __init__(self, recordings: RecordingReactions) -> None:
        self.recordings = recordings

    def react(self, event: Any, notification: Notification) -> None:
        assert isinstance(event, Recorder.Stopped)
        key = caused_by(self.name, notification)
        self.recordings.count_usage(event.originator_id, event.number, key)


def recording_policies(store: EventStore, recordings: RecordingReactions) -> list[Policy]:
    """The recording policies, in the order a round runs them."""
    return [
        AutostartRecording(recordings),
        StopRecordingAtEnd(store, recordings),
        CountRecording(recordings),
    ]
