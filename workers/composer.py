"""The composer: a stopped recording's raw tracks become one stored file (decision 0025).

A policy (decision 0013) on ``Recorder.Stopped``; a session's end stops its recording
(``stop_recording_at_end``), so that stop is how an end reaches it too. It waits (retrying the
event each round) until every raw segment of the take is closed, or until
``close_timeout`` after the stop (a crashed media process never closes its files: then it takes
what is there), composes the file (``media.recording.compose``) off the forwarding path, puts it
in storage under the take's own key, then records it (``RecordingReactions.stored``, under the
stop's ``caused_by`` key) and only then deletes the raw tracks. So:
- a crash before the record leaves the raw tracks: the next run composes again and overwrites
  the same key: one file, one record;
- a crash after the record but before the deletion: the next run finds the take stored and
  only deletes.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic as topic

from commands.live.recording import RecordingReactions
from commands.storage import Storage, recording_key
from commands.store import EventStore
from domain.live.recording import Recorder, RecordingAccount, StoredRecording
from media.recording.compose import compose
from media.recording.raw import read_manifest, take_directory
from workers.policies import NotReadyError, caused_by

log = logging.getLogger(__name__)


class ComposeRecording:
    """A recording stopped: compose its raw tracks, store the file, record it, clean up."""

    name: str = "compose_recording"
    topics: tuple[str, ...] = (topic(Recorder.Stopped),)

    def __init__(
        self,
        store: EventStore,
        recordings: RecordingReactions,
        storage: Storage,
        raw_root: Path,
        now: Callable[[], datetime],
        close_timeout: timedelta,
    ) -> None:
        self.store, self.recordings, self.storage = store, recordings, storage
        self.raw_root, self.now, self.close_timeout = raw_root, now, close_timeout

    def _stored_already(self, recorder: Recorder, number: int) -> bool:
        account_id = RecordingAccount.id_for(recorder.account_id)
        if not self.store.has_events(account_id):
            return False
        account = self.store.load(account_id)
        assert isinstance(account, RecordingAccount)
        return account.has_stored(recorder.room_id, recorder.session, number)

    def react(self, event: Any, notification: Notification) -> None:
        assert isinstance(event, Recorder.Stopped)
        recorder = self.store.load(event.originator_id)
        assert isinstance(recorder, Recorder)
        directory = take_directory(self.raw_root, recorder.room_id, recorder.session, event.number)
        if self._stored_already(recorder, event.number):
            shutil.rmtree(directory, ignore_errors=True)
            return
        segments = read_manifest(directory)
        closed = bool(segments) and all(s.closed for s in segments)
        if not closed and self.now() < event.at + self.close_timeout:
            raise NotReadyError(f"take {event.number}'s raw tracks are not all closed yet")
        work = directory.parent / f".composed-{event.number}.webm"
        composed = compose(directory, segments, work) if segments else None
        if composed is None:
            log.info("take %s of %s had no media: nothing stored", event.number, directory)
            shutil.rmtree(directory, ignore_errors=True)
            return
        key = recording_key(recorder.account_id, recorder.room_id, recorder.session, event.number)
        size = self.storage.put(key, work)
        stored = StoredRecording(
            recorder.room_id,
            recorder.session,
            event.number,
            key,
            composed.content_type,
            size,
            composed.seconds,
        )
        self.recordings.stored(stored, caused_by(self.name, notification))
        shutil.rmtree(directory, ignore_errors=True)  # only now: the record exists
