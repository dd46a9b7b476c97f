"""The composition root: builds every part of Podium from one Settings and hands them out.

Nothing connects at import time; ``bootstrap()`` is the only place that does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

from commands.access import Access
from commands.accounts import Accounts
from commands.billing import Billing
from commands.contacts import Contacts
from commands.join import Join
from commands.live.actors import Actors
from commands.live.attendance import Attendance
from commands.live.audio import AudioControl
from commands.live.cameras import Cameras
from commands.live.chat import Chats
from commands.live.cta import CallsToAction
from commands.live.dial_in import DialIn
from commands.live.dial_pad import DialPad
from commands.live.hands import Hands
from commands.live.media import MediaControl
from commands.live.polls import Polls
from commands.live.questions import Questions
from commands.live.recording import RecordingReactions, Recordings
from commands.live.room_settings import LiveRoomSettings
from commands.live.sessions import Live
from commands.live.stage import Stages
from commands.live.whiteboard import Whiteboards
from commands.outbox import Outbox
from commands.ports import Clock, PasswordHasher, PaymentGateway
from commands.reactions import Reactions
from commands.rooms import Rooms
from commands.session_reports import SessionReports
from commands.storage import Storage
from commands.store import EventStore
from commands.subaccounts import Subaccounts
from commands.unit_of_work import CommandRunner
from commands.webhooks import Webhooks
from domain.ids import account_handle
from domain.login import LockoutPolicy
from domain.room import Room
from podium.client_info import IptoccCountries, UaParserDevices
from podium.clock import SystemClock
from podium.dial_in import ServiceControls, StoreReadings
from podium.metrics import Metrics
from podium.outage import StoreWatch
from podium.passwords import Argon2Hasher
from podium.payments import SandboxGateway
from podium.session_pdf import render_session_report
from podium.settings import Settings
from podium.storage import FileStorage
from podium.throttle import RateLimiter, build_rate_limiter
from podium.transcoder import OrjsonTranscoder
from projections.account_events.projection import AccountEventsProjection
from projections.account_summary.projection import AccountSummaryProjection
from projections.account_summary.view import AccountSummaryView
from projections.attendance.projection import AttendanceProjection
from projections.attendance.view import AttendanceView
from projections.billing_history.projection import BillingHistoryProjection
from projections.billing_history.view import BillingHistoryView
from projections.cameras.projection import CamerasProjection
from projections.cameras.view import CamerasView
from projections.contacts.projection import ContactsProjection
from projections.contacts.view import ContactsView
from projections.dial_in_calls.projection import DialInCallsProjection
from projections.dial_in_calls.view import DialInCallsView
from projections.live_chat.projection import LiveChatProjection
from projections.live_chat.view import LiveChatView
from projections.live_cta.projection import LiveCtaProjection
from projections.live_cta.view import LiveCtaView
from projections.live_hands.projection import LiveHandsProjection
from projections.live_hands.view import LiveHandsView
from projections.live_questions.projection import LiveQuestionsProjection
from projections.live_questions.view import LiveQuestionsView
from projections.live_sessions.projection import LiveSessionsProjection
from projections.live_sessions.view import LiveSessionsView
from projections.outbox.projection import OutboxProjection
from projections.outbox.view import OutboxView
from projections.polls.projection import PollsProjection
from projections.polls.view import PollsView
from projections.projector import Projector
from projections.recordings.projection import RecordingsProjection
from projections.recordings.view import RecordingsView, StoredRecordingsView
from projections.room_feed.projection import RoomFeedProjection
from projections.room_feed.view import RoomFeedView
from projections.rooms.headcount import Headcount
from projections.rooms.projection import RoomsProjection
from projections.rooms.view import RoomsView
from projections.stage.projection import StageProjection
from projections.stage.view import StageView
from projections.store import PostgresReadStore, ReadStore, SQLiteReadStore, migrate
from projections.timeline.projection import TimelineProjection
from projections.timeline.view import TimelineView
from projections.webhooks.projection import WebhooksProjection
from projections.webhooks.view import WebhooksView
from projections.whiteboard.projection import WhiteboardProjection
from projections.whiteboard.view import WhiteboardView
from workers.composer import ComposeRecording
from workers.dial_in_policies import ChargeDialIn
from workers.policies import PolicyRunner
from workers.report_policies import RenderSessionReport, ReportSources
from workers.session_policies import policies


@dataclass
class Views:
    """The read models' query objects."""

    accounts: AccountSummaryView
    billing: BillingHistoryView
    outbox: OutboxView
    rooms: RoomsView
    live_sessions: LiveSessionsView
    contacts: ContactsView
    timeline: TimelineView
    live_chat: LiveChatView
    live_questions: LiveQuestionsView
    live_hands: LiveHandsView
    live_cta: LiveCtaView
    room_feed: RoomFeedView
    polls: PollsView
    whiteboard: WhiteboardView
    stage: StageView
    cameras: CamerasView
    recordings: RecordingsView
    dial_in_calls: DialInCallsView
    stored_recordings: StoredRecordingsView
    attendance: AttendanceView
    webhooks: WebhooksView


@dataclass
class Podium:
    """Everything a process needs, built once."""

    settings: Settings
    clock: Clock
    store: EventStore
    runner: CommandRunner
    accounts: Accounts
    billing: Billing
    subaccounts: Subaccounts
    outbox: Outbox
    rooms: Rooms
    access: Access
    join: Join
    live: Live
    audio: AudioControl
    actors: Actors
    contacts: Contacts
    polls: Polls
    whiteboards: Whiteboards
    stages: Stages
    cameras: Cameras
    read_store: ReadStore
    projector: Projector
    policies: PolicyRunner
    views: Views
    gateway: PaymentGateway
    hasher: PasswordHasher
    rate_limiter: RateLimiter
    chat: Chats
    questions: Questions
    hands: Hands
    ctas: CallsToAction
    recordings: Recordings
    live_settings: LiveRoomSettings
    dial_in: DialIn
    media: MediaControl
    storage: Storage
    session_reports: SessionReports
    webhooks: Webhooks
    metrics: Metrics = field(default_factory=Metrics)
    watch: StoreWatch | None = None  # PostgreSQL's reachability, where a process starts one
    extras: dict[str, object] = field(default_factory=dict)

    def public_room_url(self, account_id: str, name_url: str) -> str:
        """A room's public URL from its read-model row (the write side uses room_url_for)."""
        return f"{self.settings.base_url}/{account_handle(UUID(account_id))}/{name_url}"

    def close(self) -> None:
        self.read_store.close()
        self.store.close()


def room_url_for(base_url: str) -> Callable[[Room], str]:
    """Rooms live at <base>/<account handle>/<name_url>, as ClickMeeting's do on a host."""

    def room_url(room: Room) -> str:
        return f"{base_url}/{account_handle(room.account_id)}/{room.name_url}"

    return room_url


def lockout_policy(settings: Settings) -> LockoutPolicy:
    return LockoutPolicy(
        failures=settings.lockout_failures,
        window=timedelta(minutes=settings.lockout_window_minutes),
        duration=timedelta(minutes=settings.lockout_minutes),
    )


def build_read_store(settings: Settings) -> ReadStore:
    if settings.store == "sqlite":
        return SQLiteReadStore(settings.sqlite_read_path)
    return PostgresReadStore(settings.postgres_conninfo(), timeout=settings.pg_connect_timeout)


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    gateway: PaymentGateway | None = None,
    hasher: PasswordHasher | None = None,
    apply_migrations: bool = True,
) -> Podium:
    """Build Podium: event store, services, read store, projector and views."""
    clock = clock or SystemClock()
    gateway = gateway or SandboxGateway()
    hasher = hasher or Argon2Hasher()
    if settings.store == "sqlite":
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = EventStore(settings.event_store_env(), OrjsonTranscoder(), secret=settings.secret)
    metrics = Metrics()
    runner = CommandRunner(store, clock, metrics=metrics)
    read_store = build_read_store(settings)
    if apply_migrations:
        migrate(read_store)
    projector = Projector(
        store.recorder,
        store.mapper.to_domain_event,
        read_store,
        [
            BillingHistoryProjection(),
            AccountSummaryProjection(),
            OutboxProjection(),
            RoomsProjection(),
            LiveSessionsProjection(),
            ContactsProjection(),
            TimelineProjection(),
            LiveChatProjection(),
            LiveQuestionsProjection(),
            LiveHandsProjection(),
            LiveCtaProjection(),
            RoomFeedProjection(),
            PollsProjection(),
            WhiteboardProjection(),
            StageProjection(),
            CamerasProjection(),
            RecordingsProjection(),
            DialInCallsProjection(),
            AttendanceProjection(),
            WebhooksProjection(),
            AccountEventsProjection(),
        ],
    )
    room_url = room_url_for(settings.base_url)
    attendance = Attendance(settings.secret)
    actors = Actors(attendance)
    access = Access(runner, room_url)
    rooms_view = RoomsView(read_store)
    billing, rooms = Billing(runner, gateway), Rooms(runner)
    live = Live(runner, attendance, actors, access)
    audio = AudioControl(
        runner,
        actors,
        Headcount(projector, rooms_view, lambda: store.recorder.max_notification_id() or 0),
    )
    dial_in_calls = DialInCallsView(read_store)
    questions = Questions(runner, actors)
    dial_pad = DialPad(
        ServiceControls(live, audio, questions), StoreReadings(store, rooms_view, audio)
    )
    storage = FileStorage(settings.recordings_store_dir)
    session_reports = SessionReports(runner, store)
    attendance_view, polls_view = AttendanceView(read_store), PollsView(read_store)
    live_chat_view, live_cta_view = LiveChatView(read_store), LiveCtaView(read_store)
    policy_runner = PolicyRunner(
        store.recorder,
        store.mapper.to_domain_event,
        read_store,
        [
            *policies(store, Reactions(runner), projector, rooms_view),
            ChargeDialIn(store, billing, projector, dial_in_calls),
            ComposeRecording(
                store,
                RecordingReactions(runner),
                storage,
                settings.recordings_raw_dir,
                clock.now,
                timedelta(seconds=settings.recording_close_timeout),
            ),
            RenderSessionReport(
                store,
                session_reports,
                projector,
                ReportSources(
                    rooms_view, attendance_view, live_chat_view, polls_view, live_cta_view
                ),
                storage,
                render_session_report,
            ),
        ],
        clock.now,
    )
    podium = Podium(
        settings=settings,
        clock=clock,
        store=store,
        runner=runner,
        accounts=Accounts(
            runner, hasher, settings.base_url, settings.secret.encode(), lockout_policy(settings)
        ),
        billing=billing,
        subaccounts=Subaccounts(runner, settings.base_url, settings.secret.encode()),
        outbox=Outbox(runner),
        rooms=rooms,
        access=access,
        join=Join(runner, settings.secret, room_url, UaParserDevices(), IptoccCountries()),
        live=live,
        actors=actors,
        audio=audio,
        contacts=Contacts(runner),
        polls=Polls(runner, actors),
        whiteboards=Whiteboards(runner, actors),
        stages=Stages(runner, actors),
        cameras=Cameras(runner, actors),
        read_store=read_store,
        projector=projector,
        policies=policy_runner,
        views=Views(
            accounts=AccountSummaryView(read_store),
            billing=BillingHistoryView(read_store),
            outbox=OutboxView(read_store),
            rooms=rooms_view,
            live_sessions=LiveSessionsView(read_store),
            contacts=ContactsView(read_store),
            timeline=TimelineView(read_store),
            live_chat=live_chat_view,
            live_questions=LiveQuestionsView(read_store),
            live_hands=LiveHandsView(read_store),
            live_cta=live_cta_view,
            room_feed=RoomFeedView(read_store),
            polls=polls_view,
            whiteboard=WhiteboardView(read_store),
            stage=StageView(read_store),
            cameras=CamerasView(read_store),
            recordings=RecordingsView(read_store),
            dial_in_calls=dial_in_calls,
            stored_recordings=StoredRecordingsView(read_store),
            attendance=attendance_view,
            webhooks=WebhooksView(read_store),
        ),
        gateway=gateway,
        hasher=hasher,
        rate_limiter=build_rate_limiter(settings),
        chat=Chats(runner, actors),
        questions=questions,
        hands=Hands(runner, actors),
        ctas=CallsToAction(runner, actors),
        recordings=Recordings(runner, actors),
        live_settings=LiveRoomSettings(runner, actors),
        dial_in=DialIn(runner, attendance, dial_pad),
        media=MediaControl(runner, actors),
        storage=storage,
        session_reports=session_reports,
        webhooks=Webhooks(runner, settings.secret, settings.webhook_allow_private),
        metrics=metrics,
    )
    metrics.follow(podium)
    return podium
