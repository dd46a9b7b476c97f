"""Invitations and registration mail over HTTP, read where it arrives: a real SMTP server.

The mailer (``workers.mailer.deliver_due``) delivers the outbox to an aiosmtpd server on
loopback; each test follows the links and tokens in the messages it received.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.mail import SmtpTransport
from tests.e2e.helpers import expect, head, problem, trial_owner
from tests.e2e.rooms import (
    invite,
    join,
    line_after,
    mail_to,
    path_of,
    query_of,
    register,
    schedule,
    text,
)
from tests.integration.smtp import SmtpServer
from workers.mailer import deliver_due

TOKEN_LINE = "Your personal access token (it works for you only):"


def test_each_invitee_to_a_token_event_gets_their_own_working_token(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """Every invitation carries a different token; each opens the room for its invitee only."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, "Board Meeting", access_type="token")
    invited = invite(client, owner, room, "ann@example.com", "ben@example.com")
    assert invited["invited"] == ["ann@example.com", "ben@example.com"]
    assert deliver_due(podium, transport) == 2

    [to_ann] = mail_to(smtp_server, "ann@example.com")
    [to_ben] = mail_to(smtp_server, "ben@example.com")
    assert to_ann["Subject"] == "Invitation: Board Meeting"
    assert line_after(to_ann, "Join:") == room["room_url"]
    assert "2026-10-22 10:00 UTC" in text(to_ann)
    ann_token, ben_token = line_after(to_ann, TOKEN_LINE), line_after(to_ben, TOKEN_LINE)
    assert ann_token != ben_token

    expect(join(client, room, "ann@example.com", token=ann_token), 200)
    problem(join(client, room, "ben@example.com", token=ann_token), 403)
    expect(join(client, room, "ben@example.com", token=ben_token), 200)
    listed = expect(client.get(f"/rooms/{room['room_id']}/tokens", headers=owner.headers), 200)
    assert {(t["token"], t["sent_to"], t["used_by"]) for t in listed["tokens"]} == {
        (ann_token, "ann@example.com", "ann@example.com"),
        (ben_token, "ben@example.com", "ben@example.com"),
    }


def test_an_invitation_to_a_registration_event_links_to_the_form(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """A registration event's invitation links to the form; the confirmation's link admits."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(
        client,
        owner,
        "Masterclass",
        registration_enabled=True,
        registration_fields=[{"label": "Company", "required": True}],
    )
    invite(client, owner, room, "ada@example.com")
    deliver_due(podium, transport)
    [invitation] = mail_to(smtp_server, "ada@example.com")
    link = line_after(invitation, "Join:")
    assert link == room["registration_url"]

    form = expect(client.get(path_of(link)), 200)
    assert [f["label"] for f in form["custom_fields"]] == ["Company"]
    register(client, form, "ada@example.com", Company="Analytical Engines")
    deliver_due(podium, transport)
    [_, confirmation] = mail_to(smtp_server, "ada@example.com")
    assert confirmation["Subject"] == "You are registered for Masterclass"
    personal = line_after(confirmation, "Your room link:")
    assert personal.startswith(room["room_url"] + "?r=")
    expect(join(client, room, "ada@example.com", r=query_of(personal)["r"]), 200)


def test_a_resent_invitation_carries_the_same_token(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """Re-sending to one invitee mails only them, with the same token; sends are counted."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, access_type="token")
    invite(client, owner, room, "ann@example.com", "ben@example.com")
    path = f"/rooms/{room['room_id']}/invitations/resend"
    resent = expect(
        client.post(path, json={"email": "Ann@example.com"}, headers=owner.headers), 200
    )
    assert resent["resent"] == ["ann@example.com"]
    assert deliver_due(podium, transport) == 3

    first, second = mail_to(smtp_server, "ann@example.com")
    assert line_after(first, TOKEN_LINE) == line_after(second, TOKEN_LINE)
    assert len(mail_to(smtp_server, "ben@example.com")) == 1
    listed = expect(client.get(f"/rooms/{room['room_id']}/invitations", headers=owner.headers), 200)
    sends = {i["email"]: i["sends"] for i in listed["invitations"]}
    assert sends == {"ann@example.com": 2, "ben@example.com": 1}


def test_resending_to_someone_never_invited_is_not_found(
    client: TestClient, podium: Podium
) -> None:
    """Re-sending to an address that was never invited is a 404 and appends nothing."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    invite(client, owner, room, "ann@example.com")
    before = head(podium)
    path = f"/rooms/{room['room_id']}/invitations/resend"
    problem(client.post(path, json={"email": "zed@example.com"}, headers=owner.headers), 404)
    assert head(podium) == before


def test_an_edit_can_resend_every_invitation_with_the_new_details(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """An edit with resend_invitations mails every invitee again with the new details."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, "Kickoff")
    invite(client, owner, room, "ann@example.com", role="attendee")
    invite(client, owner, room, "pat@example.com", role="presenter")
    deliver_due(podium, transport)

    change = {"name": "Kickoff (moved)", "starts_at": "2026-10-23T15:00:00"}
    edited = client.patch(
        f"/rooms/{room['room_id']}",
        json=change | {"resend_invitations": True},
        headers=owner.headers,
    )
    assert sorted(expect(edited, 200)["resent"]) == ["ann@example.com", "pat@example.com"]
    assert deliver_due(podium, transport) == 2
    for address, role in (("ann@example.com", "listener"), ("pat@example.com", "presenter")):
        _, again = mail_to(smtp_server, address)
        assert again["Subject"] == "Invitation: Kickoff (moved)"
        assert "2026-10-23 15:00 UTC" in text(again)
        assert f"as {role}" in text(again)


def test_an_edit_without_resend_sends_nothing(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """Editing without resend_invitations leaves the invitees' inboxes alone."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    invite(client, owner, room, "ann@example.com")
    deliver_due(podium, transport)
    patch = client.patch(f"/rooms/{room['room_id']}", json={"agenda": "New"}, headers=owner.headers)
    expect(patch, 200)
    assert deliver_due(podium, transport) == 0
    assert len(mail_to(smtp_server, "ann@example.com")) == 1


def test_a_group_invitation_in_polish_with_the_advanced_template_reaches_every_member(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """A group invitation mails each member once, in the chosen language and template."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, "Warsztaty")
    emails = ["kasia@example.com", "piotr@example.com"]
    group = client.post(
        "/contact-groups", json={"name": "Team", "emails": emails}, headers=owner.headers
    )
    group_id = expect(group, 201)["group_id"]
    invited = invite(
        client,
        owner,
        room,
        "kasia@example.com",
        group_ids=[group_id],
        lang="pl",
        template="advanced",
    )
    assert invited["invited"] == emails
    assert deliver_due(podium, transport) == 2
    for address in emails:
        [message] = mail_to(smtp_server, address)
        assert message["Subject"] == "Zaproszenie: Warsztaty"
        assert "Test your connection" in text(message)


def test_a_retried_invitation_sends_one_email(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """Under one Idempotency-Key a retried invitation answers the same and mails once."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    headers = owner.headers | {"Idempotency-Key": "invite-ann"}
    path = f"/rooms/{room['room_id']}/invitations"
    body = {"emails": ["ann@example.com"]}
    first = expect(client.post(path, json=body, headers=headers), 200)
    before = head(podium)
    assert expect(client.post(path, json=body, headers=headers), 200) == first
    assert head(podium) == before
    assert deliver_due(podium, transport) == 1
    assert len(mail_to(smtp_server, "ann@example.com")) == 1


def test_a_retried_public_registration_confirms_once(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """A registration retried with its Idempotency-Key answers the first result, one email."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner, registration_enabled=True)
    body = {"first_name": "Ada", "last_name": "L", "email": "ada@example.com"}
    path = f"/rooms/{room['room_id']}/registrations"
    headers = {"Idempotency-Key": "ada-registers"}
    first = expect(client.post(path, json=body, headers=headers), 201)
    again = client.post(path, json=body, headers=headers)
    assert expect(again, 201) == first
    assert again.headers["Idempotent-Replayed"] == "true"
    assert deliver_due(podium, transport) == 1
    [confirmation] = mail_to(smtp_server, "ada@example.com")
    assert line_after(confirmation, "Your room link:") == first["url"]


def test_a_retried_resend_sends_nothing_more(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """Re-sending to everyone under one Idempotency-Key twice mails each invitee once more."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    invite(client, owner, room, "ann@example.com")
    headers = owner.headers | {"Idempotency-Key": "resend-all"}
    path = f"/rooms/{room['room_id']}/invitations/resend"
    first = expect(client.post(path, json={}, headers=headers), 200)
    before = head(podium)
    assert expect(client.post(path, json={}, headers=headers), 200) == first
    assert head(podium) == before
    deliver_due(podium, transport)
    assert len(mail_to(smtp_server, "ann@example.com")) == 2


def test_the_owner_sees_delivery_status_of_the_accounts_mail(
    client: TestClient, podium: Podium, smtp_server: SmtpServer, transport: SmtpTransport
) -> None:
    """GET /mail lists what was sent for the account, pending then delivered, without bodies."""
    owner = trial_owner(client, "owner@example.com")
    room = schedule(client, owner)
    invite(client, owner, room, "ann@example.com")
    [pending] = expect(client.get("/mail", headers=owner.headers), 200)["messages"]
    assert (pending["recipient"], pending["status"], pending["purpose"]) == (
        "ann@example.com",
        "pending",
        "invitation",
    )
    assert "body" not in pending
    deliver_due(podium, transport)
    [delivered] = expect(client.get("/mail", headers=owner.headers), 200)["messages"]
    assert delivered["status"] == "delivered"
    assert delivered["delivered_at"] is not None
    stranger = trial_owner(client, "stranger@example.com")
    assert expect(client.get("/mail", headers=stranger.headers), 200)["messages"] == []
