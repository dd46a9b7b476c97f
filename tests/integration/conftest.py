"""Integration fixtures: a real SMTP server, and an SMTP transport pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from podium.mail import SmtpTransport
from tests.integration.smtp import SmtpServer, free_port


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def transport(smtp_server: SmtpServer) -> SmtpTransport:
    return SmtpTransport("127.0.0.1", smtp_server.port, "Podium <no-reply@example.com>")
