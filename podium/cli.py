"""``podium``: the one entry point for every process and admin task."""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import typer

from podium import logs, startup
from podium.audit.report import DEFAULT_LIMIT
from podium.bootstrap import Podium, bootstrap
from podium.mail import SmtpTransport
from podium.outage import watch_store
from podium.settings import Settings
from projections.positions import ProjectionFailure

if TYPE_CHECKING:
    import uvicorn
    from fastapi import FastAPI

    from media.plane import EmbeddedMediaPlane

app = typer.Typer(help="Podium: an event-sourced webinar platform backend.", no_args_is_help=True)


def _podium() -> Podium:
    with startup.one_line_failures("start"):
        return bootstrap(startup.settings())


def _configure_logs() -> None:
    """JSON or text logs, as the settings say (podium.logs); a bad setting is one line."""
    with startup.one_line_failures("start"):
        logs.configure(startup.settings())


def _transport(settings: Settings) -> SmtpTransport:
    return SmtpTransport(settings.smtp_host, settings.smtp_port, settings.mail_from)


def _exit_reporting(
    podium: Podium, kind: str, resumed: list[str], failures: dict[str, ProjectionFailure]
) -> None:
    """Say which followers caught up and which are stopped at an event; exit 1 if any is."""
    for done in resumed:
        if done not in failures:
            typer.echo(f"{kind} {done} resumed and caught up")
    for failed, failure in failures.items():
        typer.echo(f"{kind} {failed} stopped at {failure.describe()}", err=True)
    podium.close()
    raise typer.Exit(1 if failures else 0)


@app.command()
def migrate() -> None:
    """Create or update the read-model tables (and the event store's)."""
    from projections.store import migrate as apply

    with startup.one_line_failures("migrate"):
        podium = bootstrap(startup.settings(), apply_migrations=False)
    applied = apply(podium.read_store)
    typer.echo(f"applied: {', '.join(applied)}" if applied else "read models are up to date")
    podium.close()


@app.command()
def serve(
    workers: Annotated[
        bool, typer.Option(help="run projector, policies, scheduler, mailer in-process")
    ] = True,
    mail_sink: Annotated[
        bool, typer.Option(help="print mail on a local SMTP server (development default)")
    ] = True,
) -> None:
    """Serve the HTTP API; with --workers (the default) it is all of Podium in one process."""
    import uvicorn

    from api.app import create_app
    from workers import scheduler

    _configure_logs()
    with startup.one_line_failures("start"):
        settings = startup.settings()
        # Bound first, before the data directory is touched: a second Podium on the same port
        # stops here, saying so, having changed nothing.
        listening = startup.listen(settings.host, settings.port)
        sink = mail_sink and settings.environment == "development"
        if sink:  # started now, while its port is ours; a failure below ends the process
            settings = settings.model_copy(update={"smtp_port": _start_mail_sink(settings)})
        podium = bootstrap(settings)
        if settings.store == "postgres":  # answer 503 at once while PostgreSQL is down (0032)
            podium.watch = watch_store(podium)
        api = create_app(podium)
        plane = _media_plane(podium)
        if sink:
            where = f"{settings.smtp_host}:{settings.smtp_port}"
            typer.echo(f"podium: mail sink on {where}: mail is printed here")
    stop = threading.Event()
    if workers:
        threading.Thread(
            target=podium.projector.run_forever, args=(stop,), name="projector", daemon=True
        ).start()
        threading.Thread(
            target=podium.policies.run_forever, args=(stop,), name="policies", daemon=True
        ).start()
        scheduler.start(podium, _transport(podium.settings))
        _start_webhooks(podium, stop)
    typer.echo(f"podium: serving on {settings.base_url}")
    try:
        uvicorn.Server(server_config(api, podium.settings)).run(sockets=[listening])
    finally:
        stop.set()
        if plane is not None:
            plane.stop()
        podium.close()


def _media_plane(podium: Podium) -> EmbeddedMediaPlane | None:
    """Audio and video for ``serve``: embedded unless PODIUM_MEDIA=off or PODIUM_MEDIA_URL
    names a ``podium media`` process (then only that one runs an SFU). None unless embedded."""
    from media.plane import EmbeddedMediaPlane, media_plane_for

    plane = media_plane_for(podium)
    if isinstance(plane, EmbeddedMediaPlane):
        typer.echo("podium: media plane embedded (PODIUM_MEDIA=off turns it off)")
        return plane
    if plane is not None:
        typer.echo(f"podium: media plane at {podium.settings.media_url}")
    return None


@app.command()
def media() -> None:
    """Run the media plane alone (the SFU and its reconciler, following the log) for API
    processes started with PODIUM_MEDIA_URL pointing here and the same PODIUM_MEDIA_SECRET."""
    import uvicorn

    from media.service import create_media_app

    _configure_logs()
    with startup.one_line_failures("start the media plane"):
        settings = startup.settings()
        if len(settings.media_secret) < 16:
            raise startup.StartupError(
                "set PODIUM_MEDIA_SECRET (16 characters or more), the same as the API's"
            )
        listening = startup.listen(settings.media_host, settings.media_port)
        podium = bootstrap(settings)
        service = create_media_app(podium)
    typer.echo(f"podium: media plane on http://{settings.media_host}:{settings.media_port}")
    try:
        uvicorn.Server(uvicorn.Config(service, log_level="warning")).run(sockets=[listening])
    finally:
        podium.close()


def server_config(api: FastAPI, settings: Settings) -> uvicorn.Config:
    """The HTTP server's configuration: room clients' frames bounded like request bodies."""
    import uvicorn

    # log_config=None: uvicorn's loggers go through the root handler podium.logs set up.
    return uvicorn.Config(api, ws_max_size=settings.ws_max_frame_bytes, log_config=None)


def _start_mail_sink(settings: Settings) -> int:
    """Start the development mail sink where Podium's mail transport will send; its port."""
    from podium.mail import ConsoleSink

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-connection chatter
    host, reason, port = settings.smtp_host, "no port to try", settings.smtp_port
    for port in startup.sink_ports(settings):
        try:
            ConsoleSink(host, port).start()
            return port
        except Exception as error:  # aiosmtpd re-raises whatever its thread met
            reason = " ".join(str(error).split()) or type(error).__name__
    raise startup.StartupError(
        f"start the mail sink on {host}:{port}: {reason}"
        " (set PODIUM_SMTP_PORT to a free port, or --no-mail-sink)"
    )


@app.command()
def project() -> None:
    """Keep the read models up to date, polling the log (a separate process in production)."""
    from podium.following import Listener

    _configure_logs()
    podium = _podium()
    stop = threading.Event()
    listener = None
    if podium.settings.store == "postgres":
        # Another process's append NOTIFYs: the projector wakes at once, and the poll is only
        # the fallback for a lost LISTEN connection.
        channel = podium.store.recorder.channel_name  # type: ignore[attr-defined]
        listener = Listener(podium.settings.postgres_conninfo(), channel, podium.projector.wake)
        listener.start()
    try:
        podium.projector.run_forever(stop, interval=0.1 if listener is None else 1.0)
    except KeyboardInterrupt:
        stop.set()
    finally:
        if listener is not None:
            listener.stop()
        podium.close()


@app.command()
def relay() -> None:
    """Publish every event of the log to Kafka (PODIUM_KAFKA_SERVERS), from where it left off,
    none dropped; one active relay at a time, others wait as standbys (decision 0031)."""
    from workers.relay import Relay

    _configure_logs()
    podium = _podium()
    stop = threading.Event()
    try:
        with startup.one_line_failures("relay"):
            relaying = Relay(podium)
        relaying.run_forever(stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        podium.close()


@app.command("feed-project")
def feed_project(
    group: Annotated[str, typer.Option(help="the Kafka consumer group (one per read store)")] = (
        "podium-projector"
    ),
) -> None:
    """Project the Kafka feed into this read store as a consumer group (decision 0035): the
    per-aggregate read models only (those that read across aggregates need the log's global
    order and stay with the database projector: feed_projector.GLOBAL_ORDER). Never run both
    on the same read models of one read store."""
    from workers.feed_projector import FeedProjector, per_aggregate

    logging.basicConfig(level=logging.INFO)
    podium = _podium()
    stop = threading.Event()
    try:
        with startup.one_line_failures("feed-project"):
            settings = podium.settings
            projector = FeedProjector(
                podium.read_store,
                per_aggregate(podium.projector.projections),
                settings.kafka_servers,
                settings.kafka_topic_prefix,
                group=group,
            )
        projector.run_forever(stop)
    except KeyboardInterrupt:
        stop.set()
    finally:
        podium.close()


@app.command("policies")
def run_policies() -> None:
    """React to what happens (a session ended: slot freed, thank-you mails), following the log
    until interrupted (a separate process in production; ``serve`` runs it in-process)."""
    _configure_logs()
    podium = _podium()
    stop = threading.Event()
    try:
        podium.policies.run_forever(stop, interval=0.2)
    except KeyboardInterrupt:
        stop.set()
    finally:
        podium.close()


def _start_webhooks(podium: Podium, stop: threading.Event) -> threading.Thread:
    """The webhook worker on a thread (decision 0034), woken by this process's appends and,
    on PostgreSQL, by other processes' NOTIFYs."""
    from podium.following import Listener
    from workers.webhooks import build_worker

    worker = build_worker(podium)
    podium.store.saved_listeners.append(worker.wake)
    if podium.settings.store == "postgres":
        channel = podium.store.recorder.channel_name  # type: ignore[attr-defined]
        Listener(podium.settings.postgres_conninfo(), channel, worker.wake).start()
    thread = threading.Thread(
        target=worker.run_forever,
        args=(stop, podium.settings.webhook_poll_interval),
        name="webhooks",
        daemon=True,
    )
    thread.start()
    return thread


@app.command("webhooks")
def run_webhooks() -> None:
    """Deliver webhooks, following the log until interrupted (a separate process in
    production; ``serve`` runs it in-process). Several may run at once."""
    logging.basicConfig(level=logging.INFO)
    podium = _podium()
    stop = threading.Event()
    thread = _start_webhooks(podium, stop)
    typer.echo("podium: delivering webhooks")
    try:
        while thread.is_alive():
            thread.join(1.0)
    except KeyboardInterrupt:
        stop.set()
    finally:
        podium.close()


@app.command("resume-policy")
def resume_policy(name: Annotated[str | None, typer.Argument()] = None) -> None:
    """Let a policy stopped at an event it could not react to try again (after a fix)."""
    podium = _podium()
    resumed = podium.policies.resume(name)
    podium.policies.catch_up()
    _exit_reporting(podium, "policy", resumed, podium.policies.failures())


@app.command("claim-phone-pins")
def claim_phone_pins() -> None:
    """Claim the phone PINs of rooms scheduled before PINs were claimed (decision 0019), so
    callers' PINs find them; says which rooms have a PIN another room claimed first."""
    podium = _podium()
    rows = podium.read_store.query("SELECT room_id FROM rooms WHERE status <> 'deleted'")
    claimed = 0
    for row in rows:
        body = podium.dial_in.claim_pins(UUID(str(row["room_id"]))).body
        claimed += len(body["claimed"])
        for role in body["taken"]:
            typer.echo(f"room {body['room_id']}: its {role} PIN is another room's", err=True)
    typer.echo(f"{claimed} PIN(s) claimed for {len(rows)} room(s)")
    podium.close()


@app.command("scheduler")
def run_scheduler() -> None:
    """Run the scheduled jobs (renewals, trial expiry, mail delivery) until interrupted."""
    from workers import scheduler

    _configure_logs()
    podium = _podium()
    jobs = scheduler.start(podium, _transport(podium.settings))
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        jobs.shutdown()
    finally:
        podium.close()


@app.command()
def mailer(interval: float = 5.0) -> None:
    """Deliver the outbox over SMTP until interrupted."""
    from workers.mailer import deliver_due

    _configure_logs()
    podium = _podium()
    transport = _transport(podium.settings)
    try:
        while True:
            deliver_due(podium, transport)
            time.sleep(interval)
    except KeyboardInterrupt:
        pass
    finally:
        podium.close()


@app.command()
def due() -> None:
    """Run everything due now once: renewals, expiries, closures, then mail delivery."""
    from workers.mailer import deliver_due
    from workers.scheduler import run_due

    podium = _podium()
    renewed = run_due(podium)
    sent = deliver_due(podium, _transport(podium.settings))
    typer.echo(f"{len(renewed)} account(s) renewed, expired or closed; {sent} message(s) sent")
    podium.close()


@app.command()
def rebuild(name: Annotated[str | None, typer.Argument()] = None) -> None:
    """Drop and rebuild one read model (or all) from the event log."""
    from tqdm import tqdm  # type: ignore[import-untyped]  # only this command draws a bar

    podium = _podium()
    # Events done, rate and time left; on stderr, so the summary below stays scriptable.
    with tqdm(unit=" events", unit_scale=True, desc="rebuild", leave=True) as bar:

        def progress(position: int, head: int) -> None:
            bar.total = head
            bar.update(position - bar.n)

        count = podium.projector.rebuild(name, progress)
    typer.echo(f"rebuilt {name or 'all read models'} from {count} events")
    _exit_reporting(podium, "read model", [], podium.projector.failures())


@app.command()
def resume(name: Annotated[str | None, typer.Argument()] = None) -> None:
    """Let a read model stopped at an event it could not apply try again (after a fix)."""
    podium = _podium()
    resumed = podium.projector.resume(name)
    podium.projector.catch_up()
    _exit_reporting(podium, "read model", resumed, podium.projector.failures())


@app.command()
def audit(
    as_json: Annotated[
        bool, typer.Option("--json", help="everything, as JSON, for programs")
    ] = False,
    show_all: Annotated[bool, typer.Option("--all", help="list every finding, uncapped")] = False,
    limit: Annotated[int, typer.Option(help="findings listed before the rest are counted")] = (
        DEFAULT_LIMIT
    ),
) -> None:
    """Replay every ledger and snapshotted stream; check the hash chains, the snapshots and the
    billing projection. Exits 1 if anything differs."""
    from podium.audit import Finding
    from podium.audit import audit as run_audit

    podium = _podium()
    notes = []
    try:
        podium.projector.catch_up()
    except Exception as error:  # the audit reads the log itself: a stuck read model is a finding
        notes.append(
            Finding(
                "projection",
                "read models",
                f"could not catch up ({type(error).__name__}: {error}); compared as they are",
            )
        )
    notes.extend(
        Finding("projection", f"read model {name}", f"stopped at {failure.describe()}")
        for name, failure in podium.projector.failures().items()
    )
    report = run_audit(podium.store, podium.read_store, notes=notes)
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
    else:
        typer.echo(report.render(None if show_all else limit))
    podium.close()
    raise typer.Exit(0 if report.ok else 1)


if __name__ == "__main__":
    app()
