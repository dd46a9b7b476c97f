"""Sending mail over SMTP (the mailer's transport)."""

from __future__ import annotations

import smtplib
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, Protocol


class MailTransport(Protocol):
    def send(self, to: str, subject: str, body: str, message_key: str) -> None: ...


class SmtpTransport:
    """Delivers each message in its own SMTP session (the mailer sends few, and retries)."""

    def __init__(self, host: str, port: int, sender: str, timeout: float = 10.0) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout

    def send(self, to: str, subject: str, body: str, message_key: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        # A Message-ID fixed per outbox entry lets a receiver drop the duplicate that a crash
        # between sending and recording the delivery can cause.
        message["Message-ID"] = make_msgid(idstring=message_key, domain="podium.invalid")
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            smtp.send_message(message)


class ConsoleSink:
    """A real SMTP server on loopback that prints what it receives (development only).

    `make run` starts one with the server, so activation and reset links appear in the
    console instead of waiting in the outbox for a relay that is not there.
    """

    def __init__(self, host: str, port: int) -> None:
        from aiosmtpd.controller import Controller  # a development dependency

        self._controller = Controller(self, hostname=host, port=port)

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        text = message.get_body().get_content() if hasattr(message, "get_body") else ""  # type: ignore[union-attr]
        heading = f"mail to {', '.join(envelope.rcpt_tos)}: {message['Subject']}"
        print(f"\n--- {heading} ---\n{text}--- end ---", flush=True)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()
