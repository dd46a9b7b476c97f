"""What an organizer and their audience do over HTTP with rooms: schedule, protect, invite,
register, join, read the mail that arrives.

A room's URL is absolute (the public base URL); ``path_of`` turns it into the path the test
client requests.
"""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from httpx import Response

from tests.e2e.helpers import Caller, Json, expect
from tests.integration.smtp import SmtpServer

NEXT_WEEK = "2026-10-22T10:00:00"  # the clock stands at 2026-10-15 09:00 UTC


def schedule(
    client: TestClient, caller: Caller, name: str = "Product Launch", **fields: Any
) -> Json:
    """A webinar next week (UTC) unless ``fields`` say otherwise; returns the room as shown."""
    body = {"name": name, "starts_at": NEXT_WEEK, "timezone": "UTC"} | fields
    return expect(client.post("/rooms", json=body, headers=caller.headers), 201)


def join(client: TestClient, room: Json, email: str, **presented: Any) -> Response:
    """Someone at the door of ``room``: a nickname from the email, and whatever they present."""
    body = {"nickname": email.split("@")[0].title(), "email": email} | presented
    response: Response = client.post(f"/rooms/{room['room_id']}/join", json=body)
    return response


def generate_tokens(client: TestClient, caller: Caller, room: Json, how_many: int) -> list[str]:
    response = client.post(
        f"/rooms/{room['room_id']}/tokens", json={"how_many": how_many}, headers=caller.headers
    )
    tokens: list[str] = expect(response, 201)["tokens"]
    return tokens


def invite(client: TestClient, caller: Caller, room: Json, *emails: str, **more: Any) -> Json:
    body = {"emails": list(emails)} | more
    response = client.post(
        f"/rooms/{room['room_id']}/invitations", json=body, headers=caller.headers
    )
    return expect(response, 200)


def register(client: TestClient, room: Json, email: str, **answers: Any) -> Json:
    body = {"first_name": "Ada", "last_name": "Lovelace", "email": email, "answers": answers}
    return expect(client.post(f"/rooms/{room['room_id']}/registrations", json=body), 201)


def rooms(client: TestClient, caller: Caller, status: str = "active") -> list[Json]:
    body = expect(client.get("/rooms", params={"status": status}, headers=caller.headers), 200)
    listed: list[Json] = body["rooms"]
    return listed


def path_of(url: str) -> str:
    return urlsplit(url).path


def query_of(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value)


def mail_to(smtp: SmtpServer, address: str) -> list[EmailMessage]:
    """What the SMTP server received for ``address``, oldest first."""
    return smtp.inbox.to(address)


def text(message: EmailMessage) -> str:
    content = message.get_content()
    assert isinstance(content, str)
    return content


def line_after(message: EmailMessage, prefix: str) -> str:
    """The rest of the body line starting with ``prefix`` (a link, a token)."""
    for line in text(message).splitlines():
        if line.startswith(prefix):
            return line[len(prefix) :].strip()
    raise AssertionError(f"no line starting {prefix!r} in: {text(message)}")
