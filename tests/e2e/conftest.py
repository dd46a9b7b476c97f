"""End-to-end fixtures: the integration tests' real SMTP server (aiosmtpd on loopback) and the
SMTP transport pointed at it, so tests read the mail Podium actually sends."""

from __future__ import annotations

from tests.integration.conftest import smtp_server, transport

__all__ = ["smtp_server", "transport"]
