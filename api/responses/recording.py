"""Answers about recording control and the room's settings during the event (decision 0021)."""

from __future__ import annotations

from api.responses.base import Answer


class Take(Answer):
    """One recording: from REC to stop, in the interface language it started in."""

    number: int
    language: str
    started_by: str | None = None  # who pressed REC; shown to presenters only
    started_at: str
    autostart: bool
    stopped_at: str | None
    stop_reason: str | None


class RecorderState(Answer):
    """Whether the session records now; ``current`` is the running (else the latest) one.
    ``started``/``stopped`` say whether this request changed anything."""

    room_id: str
    session: int
    recording: bool
    current: Take | None


class NotRecorded(Answer):
    """A period of a recording in presenters-only mode: nothing was recorded in it."""

    until: str | None
    seconds: int
    why: str


class RecordingRow(Answer):
    """A recording as the read model lists it (``from`` of ``not_recorded`` is when it began)."""

    session: int
    number: int
    language: str
    started_by: str
    autostart: bool
    started_at: str
    stopped_at: str | None
    stop_reason: str | None
    running: bool
    seconds: int
    not_recorded: list[NotRecorded]


class Recordings(Answer):
    recordings: list[RecordingRow]


class RecordingUsage(Answer):
    """The account's recording allowance (its plan's minutes), what recordings used, the
    default auto-start."""

    autostart: bool
    allowance_minutes: int
    used_seconds: int
    used_minutes: int
    left_minutes: int
    used_up: bool


class LiveRoomSettings(Answer):
    """The room's interface language and phone settings as the room shows them now."""

    room_id: str
    session: int
    language: str
    toll_free: bool
    phone_gateway: bool
    warnings: list[str]


class StoredRecording(Answer):
    """A recording in storage: one take of a session, composed into one file."""

    recording_id: str
    room_id: str
    session: int
    number: int
    content_type: str
    size_bytes: int
    seconds: float
    created_at: str


class StorageUse(Answer):
    """What the account's recordings take of its plan's storage."""

    used_bytes: int
    limit_mb: int
    full: bool


class StoredRecordings(Answer):
    recordings: list[StoredRecording]
    storage: StorageUse
