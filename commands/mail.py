"""The messages Podium sends, queued in the outbox with the command that causes them."""

from __future__ import annotations

from commands.unit_of_work import UnitOfWork
from domain.mail import OutgoingMail


def queue(unit: UnitOfWork, to: str, subject: str, body: str, purpose: str) -> OutgoingMail:
    """Put a message in the outbox; the mailer delivers it after this command commits."""
    return unit.add(OutgoingMail(to, subject, body, purpose, unit.now))


def password_reset(unit: UnitOfWork, to: str, link: str) -> None:
    queue(
        unit,
        to,
        "Reset your Podium password",
        f"Someone asked to reset the password of your Podium login {to}.\n\n"
        f"Set a new password here (the link works once, for one hour):\n{link}\n\n"
        "If it was not you, ignore this message; your password stays as it is.\n",
        "password_reset",
    )


def activation(unit: UnitOfWork, to: str, link: str, account_name: str, why: str) -> None:
    queue(
        unit,
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


def invitation(
    unit: UnitOfWork,
    to: str,
    room_name: str,
    when: str,
    link: str,
    role: str,
    lang: str,
    token: str | None,
    template: str,
) -> None:
    """An invitation to a room; a token event's carries the invitee's own token."""
    lines = [f"You are invited to {room_name} as {role}.", f"When: {when}", f"Join: {link}"]
    if token:
        lines.append(f"Your personal access token (it works for you only): {token}")
    if template == "advanced":
        lines.append("Test your connection before the event from the room's page.")
    subject = SUBJECTS.get(lang, SUBJECTS["en"])["invitation"].format(name=room_name)
    queue(unit, to, subject, "\n".join(lines) + "\n", "invitation")


def registration_confirmation(
    unit: UnitOfWork, to: str, room_name: str, when: str, link: str, lang: str
) -> None:
    subject = SUBJECTS.get(lang, SUBJECTS["en"])["registration"].format(name=room_name)
    body = f"Thank you for registering for {room_name}.\nWhen: {when}\nYour room link: {link}\n"
    queue(unit, to, subject, body, "registration")
