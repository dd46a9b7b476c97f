"""/metrics: commands by name, HTTP latency by route template, projection lag, mail queue."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient

from podium import logs
from podium.bootstrap import Podium
from podium.settings import Settings


def sample(text: str, prefix: str) -> float:
    """The value of the first exposition line starting with ``prefix``."""
    line = next(line for line in text.splitlines() if line.startswith(prefix))
    return float(line.rsplit(" ", 1)[1])


def test_metrics_count_commands_routes_lag_and_mail(client: TestClient, podium: Podium) -> None:
    """A sign-up and a reset request show as commands, as requests by route, and as mail."""
    body = {"name": "Org", "email": "m@example.com", "password": "password1"}
    assert client.post("/accounts", json=body).status_code == 201
    assert client.post("/password-reset", json={"email": "m@example.com"}).status_code == 202
    assert client.get("/rooms/not-a-room", headers={"X-Api-Key": "x"}).status_code in (401, 404)
    text = client.get("/metrics").text
    assert sample(text, 'podium_commands_total{command="Accounts.sign_up",outcome="created"}') == 1
    assert sample(text, "podium_store_up") == 1
    assert sample(text, "podium_mail_pending") >= 1
    assert sample(text, 'podium_projection_lag_events{projection="outbox"}') == 0
    assert "podium_log_head" in text
    # Route templates, never raw paths: the label set stays bounded.
    assert "not-a-room" not in text
    assert (
        sample(text, 'podium_http_requests_total{method="POST",route="/accounts",status="201"}')
        == 1
    )


def test_periodic_scheduler_lines_are_debug(settings: Settings) -> None:
    """APScheduler's per-run INFO lines become DEBUG: quiet at INFO, there with DEBUG."""
    logs.configure(settings.model_copy(update={"log_level": "INFO"}))
    record = logging.LogRecord(
        "apscheduler.executors.default", logging.INFO, __file__, 1, "Running job", (), None
    )
    demote = next(
        f
        for f in logging.getLogger("apscheduler.executors.default").filters
        if isinstance(f, logs.Demote)
    )
    assert demote.filter(record) is False
    assert record.levelname == "DEBUG"
    logs.configure(settings.model_copy(update={"log_level": "DEBUG"}))
    assert demote.filter(record) is True


def test_json_logs_carry_the_request_id(settings: Settings) -> None:
    """A JSON record has its request's id (from the context) as a field."""
    formatter = logs.formatter("json")
    token = logs.REQUEST_ID.set("req-123")
    try:
        record = logging.LogRecord("podium", logging.INFO, __file__, 1, "hello", (), None)
        logs.RequestIdFilter().filter(record)
        line = formatter.format(record)
    finally:
        logs.REQUEST_ID.reset(token)
    assert '"request_id": "req-123"' in line
    assert '"message": "hello"' in line
