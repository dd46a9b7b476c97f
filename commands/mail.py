"""The messages Podium sends, queued in the outbox with the command that causes them."""

from __future__ import annotations

from uuid import UUID

from commands.unit_of_work import UnitOfWork
from domain.mail import OutgoingMail
from domain.room import Room


def queue(
    unit: UnitOfWork, account_id: UUID, to: str, subject: str, body: str, purpose: str
) -> OutgoingMail:
    """Put a message in the outbox, sent for ``account_id`` (whose owner can see its delivery
    status); the mailer delivers it after this command commits."""
    return unit.add(OutgoingMail(to, subject, body, purpose, unit.now, str(account_id)))


def password_reset(unit: UnitOfWork, account_id: UUID, to: str, link: str) -> None:
    queue(
        unit,
        account_id,
        to,
        "Reset your Podium password",
        f"Someone asked to reset the password of your Podium login {to}.\n\n"
        f"Set a new password here (the link works once, for one hour):\n{link}\n\n"
        "If it was not you, ignore this message; your password stays as it is.\n",
        "password_reset",
    )


def activation(
    unit: UnitOfWork, account_id: UUID, to: str, link: str, account_name: str, why: str
) -> None:
    queue(
        unit,
        account_id,
        to,
        f"Activate your Podium login for {account_name}",
        f"{why}\n\nSet your password to activate it (the link works once, for 7 days):\n{link}\n",
        "activation",
    )


SUBJECTS = {
    "en": {
        "invitation": "Invitation: {name}",
        "registration": "You are registered for {name}",
    },
    "pl": {
        "invitation": "Zaproszenie: {name}",
        "registration": "Rejestracja na {name} potwierdzona",
    },
}
LANGUAGES = frozenset(SUBJECTS)


def when(room: Room) -> str:
    """A room's time as its messages state it."""
    settings = room.settings
    if settings.starts_at is None:
        return "any time (permanent room)"
    return f"{settings.starts_at:%Y-%m-%d %H:%M} UTC, {settings.duration_minutes} minutes"


def invitation(
    unit: UnitOfWork,
    room: Room,
    to: str,
    link: str,
    role: str,
    lang: str,
    token: str | None,
    template: str,
) -> None:
    """An invitation to a room; a token event's carries the invitee's own token."""
    name = room.settings.name
    lines = [f"You are invited to {name} as {role}.", f"When: {when(room)}", f"Join: {link}"]
    if token:
        lines.append(f"Your personal access token (it works for you only): {token}")
    if template == "advanced":
        lines.append("Test your connection before the event from the room's page.")
    subject = SUBJECTS.get(lang, SUBJECTS["en"])["invitation"].format(name=name)
    queue(unit, room.account_id, to, subject, "\n".join(lines) + "\n", "invitation")


def registration_confirmation(unit: UnitOfWork, room: Room, to: str, link: str, lang: str) -> None:
    name = room.settings.name
    subject = SUBJECTS.get(lang, SUBJECTS["en"])["registration"].format(name=name)
    body = f"Thank you for registering for {name}.\nWhen: {when(room)}\nYour room link: {link}\n"
    queue(unit, room.account_id, to, subject, body, "registration")


def thank_you(unit: UnitOfWork, room: Room, to: str) -> None:
    """After a session ended: thanks, and where the organizer sends attendees next."""
    name = room.settings.name
    lines = [f"Thank you for attending {name}."]
    if room.settings.thank_you_page_url:
        lines.append(f"More from the organizer: {room.settings.thank_you_page_url}")
    queue(
        unit,
        room.account_id,
        to,
        f"Thank you for attending {name}",
        "\n".join(lines) + "\n",
        "thank_you",
    )
