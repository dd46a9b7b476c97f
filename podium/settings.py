"""Podium's one Settings object, read from PODIUM_* environment variables at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from limits import parse_many
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret"  # noqa: S105 - refused outside development


class Settings(BaseSettings):
    """Everything a process needs to know about where it runs. Built once, passed down."""

    model_config = SettingsConfigDict(env_prefix="PODIUM_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    store: Literal["sqlite", "postgres"] = "sqlite"
    data_dir: Path = Path("var")

    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_user: str = "podium"
    pg_password: str = "podium"  # noqa: S105 - the local default; production sets its own
    pg_dbname: str = "podium"
    pg_schema: str = "public"  # tests give each run its own schema
    pg_pool_size: int = 10
    # How long a request waits for a PostgreSQL connection before it gives up (503), and how
    # often a process checks the server while it is unreachable (decision 0032).
    pg_connect_timeout: int = Field(default=5, ge=1, le=60)
    pg_probe_interval: float = Field(default=1.0, gt=0, le=60)
    # Aggregates kept in memory between commands (0: none). Each read still fetches the events
    # stored since (fast-forward), so other processes' writes are always seen.
    aggregate_cache_size: int = 10_000

    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str = ""  # links in emails; defaults to http://host:port
    project_inline: bool = True  # run projections in the API process after each command
    # How long an answer waits for the read models its write changed when another process
    # projects them (project_inline off); past that it answers anyway and says which are stale.
    read_your_writes_timeout: float = Field(default=5.0, ge=0, le=60)
    # How long after a recording stops the composer waits for its raw tracks to be closed
    # before it takes what is there (a crashed media process never closes them; 0025).
    recording_close_timeout: float = Field(default=30.0, ge=0, le=3600)

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    mail_from: str = "Podium <no-reply@podium.invalid>"

    secret: str = Field(default=DEVELOPMENT_SECRET, min_length=16)

    # The telephony provider's webhook (decision 0019): the secret both sides sign with
    # (HMAC-SHA256 over timestamp and body; empty: the webhook is off) and how old a signed
    # delivery may be, either way, before it is refused as a replay.
    telephony_secret: str = ""
    telephony_tolerance_seconds: int = Field(default=300, ge=1, le=3600)

    # Abuse limits (decision 0008), in the notation of the `limits` package ("10/minute;100/day");
    # an empty string turns one off. Counted per process unless the storage is shared.
    rate_limit_storage: str = "memory://"
    limit_log_in_per_email: str = "10/minute;100/day"
    limit_log_in_per_address: str = "60/minute;1000/day"
    limit_reset_per_email: str = "5/hour"
    limit_reset_per_address: str = "30/hour"
    limit_sign_up_per_email: str = "5/hour"
    limit_sign_up_per_address: str = "30/hour"
    limit_registration_per_email: str = "10/hour"
    limit_registration_per_address: str = "30/minute;300/hour"
    # Only refused joins count (a wrong password or token): a join storm of right ones is fine.
    limit_join_refusals_per_address: str = "10/minute;60/hour"
    limit_join_refusals_per_room: str = "100/minute"
    # Chat messages from one participant of a live session (issue 8, section 8).
    limit_chat_per_participant: str = "5/second"
    # Wrong passwords that lock a login, within how many minutes, and for how long.
    lockout_failures: int = Field(default=10, ge=1)
    lockout_window_minutes: int = Field(default=15, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)

    # The largest request body a route reads, unless the route declares its own (uploads).
    max_body_bytes: int = Field(default=1_048_576, ge=0)
    # Served behind HTTPS (directly or by a proxy): answers carry Strict-Transport-Security.
    behind_https: bool = False

    # The room gateway (decision 0020), in seconds and counts. The server pings every
    # ``ws_ping_interval``; a socket that sends nothing for ``ws_silence_limit`` is closed, and
    # a person whose socket is gone and who does not come back within ``ws_leave_grace`` leaves.
    ws_ping_interval: float = Field(default=15.0, gt=0)
    ws_silence_limit: float = Field(default=45.0, gt=0)
    ws_leave_grace: float = Field(default=30.0, ge=0)
    # Frames waiting for one client; a client that falls further behind is told to resync.
    ws_queue_frames: int = Field(default=256, ge=1)
    # A reconnect with since= replays at most this many missed events, else a fresh snapshot.
    ws_resume_events: int = Field(default=5_000, ge=0)
    # Threads for the gateway's store work (snapshots, feed reads, socket actions, leaves).
    ws_threads: int = Field(default=8, ge=1)
    # How often the gateway looks at the log when nothing woke it (another process's append
    # on SQLite, or a NOTIFY lost to a broken connection).
    ws_poll_interval: float = Field(default=1.0, gt=0)
    # The largest frame a room client may send (a long stroke fits many times over); a bigger
    # one closes the socket with 1009, as the WebSocket protocol says, before it is buffered.
    ws_max_frame_bytes: int = Field(default=262_144, ge=1_024)

    # The media plane (decision 0024). ``media``: whether ``podium serve`` runs one (embedded,
    # on its own event loop) or, with ``media_url`` set, reaches a ``podium media`` process
    # there, both sides holding ``media_secret``. ``media_ice_servers``: a JSON list of
    # RTCIceServer dicts (``[{"urls": "turn:turn.example:3478", "username": ..,
    # "credential": ..}]``) given to the SFU's peers; empty: host candidates only (a LAN).
    media: bool = True
    media_url: str = ""
    media_secret: str = ""
    media_ice_servers: list[dict[str, Any]] = Field(default_factory=list)
    media_host: str = "127.0.0.1"  # where ``podium media`` listens for the API
    media_port: int = Field(default=8090, ge=1, le=65535)
    media_timeout: float = Field(default=10.0, gt=0)  # one signalling call to the plane
    # How often the reconciler reads the log when nothing woke it: another process's append on
    # SQLite must reach the media within 300 ms, so a poll is short (two small queries).
    media_poll_interval: float = Field(default=0.2, gt=0)

    # Distributed mode (decision 0031): the Kafka brokers the relay publishes to
    # (``host:port,host:port``; empty: no relay), its topics' prefix and shape, and how much
    # of the log one acknowledged batch holds.
    kafka_servers: str = ""
    kafka_topic_prefix: str = "podium."
    kafka_partitions: int = Field(default=3, ge=1)
    kafka_replication: int = Field(default=1, ge=1)
    relay_batch_size: int = Field(default=1000, ge=1, le=100_000)
    # How often the relay looks at the log when nothing woke it (SQLite: another process's
    # appends are seen within this).
    relay_poll_interval: float = Field(default=0.2, gt=0)
    # Webhooks (decision 0034). Private and loopback targets are refused unless allowed (tests
    # and local development point endpoints at this machine). One delivery waits at most
    # ``webhook_timeout`` for its answer; an endpoint has at most ``webhook_endpoint_concurrency``
    # deliveries in flight (1 keeps first attempts in the log's order); failures are retried
    # after ``webhook_retry_base`` doubling up to ``webhook_retry_cap`` seconds, with jitter,
    # until ``webhook_retry_for`` seconds after the first attempt. After a secret rotation,
    # deliveries are signed with the previous secret too for ``webhook_rotation_grace`` seconds.
    webhook_allow_private: bool = False
    webhook_timeout: float = Field(default=5.0, gt=0, le=60)
    webhook_endpoint_concurrency: int = Field(default=1, ge=1, le=16)
    webhook_threads: int = Field(default=16, ge=1, le=256)
    webhook_retry_base: float = Field(default=10.0, gt=0)
    webhook_retry_cap: float = Field(default=3600.0, gt=0)
    webhook_retry_for: float = Field(default=86_400.0, gt=0)
    webhook_rotation_grace: float = Field(default=86_400.0, ge=0)
    webhook_poll_interval: float = Field(default=0.5, gt=0)
    # Operations (decision 0032). Logs: ``json`` lines or ``text``; ``auto`` is JSON in
    # production, text elsewhere. ``metrics_port``: where a worker process (projector, policies,
    # scheduler, mailer, media) serves /health, /health/ready and /metrics; 0 turns it off (the
    # API serves them on its own port).
    log_format: Literal["auto", "json", "text"] = "auto"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(default=0, ge=0, le=65535)

    @field_validator(
        "limit_log_in_per_email",
        "limit_log_in_per_address",
        "limit_reset_per_email",
        "limit_reset_per_address",
        "limit_sign_up_per_email",
        "limit_sign_up_per_address",
        "limit_registration_per_email",
        "limit_registration_per_address",
        "limit_join_refusals_per_address",
        "limit_join_refusals_per_room",
        "limit_chat_per_participant",
    )
    @classmethod
    def _parse_limit(cls, value: str) -> str:
        if value.strip():
            parse_many(value)  # raises ValueError on a malformed rate: refused at start-up
        return value

    @field_validator("telephony_secret")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < 16:
            raise ValueError("the telephony secret must be at least 16 characters (or empty: off)")
        return value

    @field_validator("media_ice_servers")
    @classmethod
    def _ice_servers(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for server in value:
            if not server.get("urls"):
                raise ValueError('each ICE server needs "urls" (say "turn:host:3478")')
        return value

    @model_validator(mode="after")
    def _remote_media_needs_a_secret(self) -> Settings:
        if self.media_url and len(self.media_secret) < 16:
            raise ValueError(
                "PODIUM_MEDIA_URL needs PODIUM_MEDIA_SECRET (16 characters or more), the same "
                "in the API and in podium media"
            )
        return self

    @model_validator(mode="after")
    def _refuse_development_secret(self) -> Settings:
        if self.environment == "production" and self.secret == DEVELOPMENT_SECRET:
            raise ValueError("set PODIUM_SECRET: the development secret is refused in production")
        return self

    @property
    def sqlite_events_path(self) -> Path:
        return self.data_dir / "podium.db"

    @property
    def sqlite_read_path(self) -> Path:
        return self.data_dir / "podium-read.db"

    @property
    def recordings_raw_dir(self) -> Path:
        """The media plane's raw per-track files, per room, session and take (0025)."""
        return self.data_dir / "recordings" / "raw"

    @property
    def recordings_store_dir(self) -> Path:
        """The filesystem storage of composed recordings (``podium.storage``)."""
        return self.data_dir / "recordings" / "stored"

    @property
    def base_url(self) -> str:
        return self.public_url.rstrip("/") or f"http://{self.host}:{self.port}"

    def store_variables(self) -> dict[str, str]:
        """The PODIUM_* variables that point another process at this store."""
        variables = {"PODIUM_STORE": self.store, "PODIUM_DATA_DIR": str(self.data_dir)}
        if self.store == "postgres":
            variables |= {
                "PODIUM_PG_HOST": self.pg_host,
                "PODIUM_PG_PORT": str(self.pg_port),
                "PODIUM_PG_USER": self.pg_user,
                "PODIUM_PG_PASSWORD": self.pg_password,
                "PODIUM_PG_DBNAME": self.pg_dbname,
                "PODIUM_PG_SCHEMA": self.pg_schema,
            }
        return variables

    def event_store_env(self) -> dict[str, str]:
        """The environment eventsourcing's infrastructure factory reads."""
        cache = {
            "AGGREGATE_CACHE_MAXSIZE": str(self.aggregate_cache_size or ""),
            # Never "n": without fast-forwarding, a cached aggregate misses other processes'
            # events, and a command would decide on stale state it does not itself change.
            "AGGREGATE_CACHE_FASTFORWARD": "y",
            "DEEPCOPY_FROM_AGGREGATE_CACHE": "y",  # commands mutate what they load
        }
        if self.store == "sqlite":
            return {
                **cache,
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.sqlite_events_path),
                "SQLITE_LOCK_TIMEOUT": "10",
            }
        return {
            **cache,
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": self.pg_dbname,
            "POSTGRES_HOST": self.pg_host,
            "POSTGRES_PORT": str(self.pg_port),
            "POSTGRES_USER": self.pg_user,
            "POSTGRES_PASSWORD": self.pg_password,
            "POSTGRES_CONNECT_TIMEOUT": str(self.pg_connect_timeout),
            "POSTGRES_POOL_SIZE": str(self.pg_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.pg_pool_size),
            "POSTGRES_SCHEMA": self.pg_schema,
        }

    def postgres_conninfo(self) -> str:
        return (
            f"host={self.pg_host} port={self.pg_port} user={self.pg_user} "
            f"password={self.pg_password} dbname={self.pg_dbname} "
            f"connect_timeout={self.pg_connect_timeout} options=-csearch_path={self.pg_schema}"
        )
