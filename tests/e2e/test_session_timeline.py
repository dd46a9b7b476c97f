"""After the event (issue 10 §5): each session in the account's timeline, most recent first,
with its counts; the thank-you page and the thank-you emails in the session report."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.clock import ManualClock
from podium.mail import SmtpTransport
from tests.e2e.helpers import expect, trial_owner
from tests.e2e.test_live_sessions import permanent_room
from tests.e2e.test_policies import run_session
from tests.integration.smtp import SmtpServer
from workers.mailer import deliver_due

PAGE = "https://example.com/thanks"


def test_sessions_show_in_the_timeline_and_reports_show_the_thank_you(
    client: TestClient,
    podium: Podium,
    clock: ManualClock,
    smtp_server: SmtpServer,
    transport: SmtpTransport,
) -> None:
    """Two sessions of one room: the timeline lists the second's start before the first's,
    each naming its session with its visitor counts; each report names the thank-you page its
    end sent people to and the thank-you emails sent to its own participants only."""
    owner = trial_owner(client, "owner@example.com")
    room = permanent_room(client, owner, 5)
    path = f"/rooms/{room['room_id']}"
    expect(client.patch(path, json={"thank_you_page_url": PAGE}, headers=owner.headers), 200)
    run_session(client, owner, room, "ann@example.com", "ben@example.com")
    podium.policies.catch_up()
    assert deliver_due(podium, transport) == 2
    clock.advance(timedelta(hours=2))
    expect(client.patch(path, json={"thank_you_page_url": None}, headers=owner.headers), 200)
    run_session(client, owner, room, "cy@example.com")
    podium.policies.catch_up()
    podium.projector.catch_up()
    entries = expect(client.get("/timeline", headers=owner.headers), 200)["entries"]
    starts = [e["session"] for e in entries if e["kind"] == "LiveSession.Started"]
    assert [(s["number"], s["total_visitors"]) for s in starts] == [(2, 1), (1, 2)]
    assert all(s["room_id"] == room["room_id"] and s["ended_at"] for s in starts)
    ends = [e["session"]["number"] for e in entries if e["kind"] == "LiveSession.Ended"]
    assert ends == [2, 1]
    first = expect(client.get(f"{path}/sessions/1/report", headers=owner.headers), 200)
    assert first["thank_you"]["page_url"] == PAGE
    assert [(m["recipient"], m["status"]) for m in first["thank_you"]["emails"]] == [
        ("ann@example.com", "delivered"),
        ("ben@example.com", "delivered"),
    ]
    second = expect(client.get(f"{path}/sessions/2/report", headers=owner.headers), 200)
    assert second["thank_you"]["page_url"] is None
    assert [(m["recipient"], m["status"]) for m in second["thank_you"]["emails"]] == [
        ("cy@example.com", "pending")
    ]
