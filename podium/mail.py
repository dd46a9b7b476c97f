"""Sending mail over SMTP (the mailer's transport)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol


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
