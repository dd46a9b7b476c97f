"""Access to rooms: tokens, registrations and invitations (with their emails)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from uuid import UUID

from commands import mail
from commands.rooms import owned_room
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.access import AccessToken, Invitation, Registration, Role
from domain.contact import ContactGroup
from domain.errors import InvalidRequestError, NotFoundError, RuleViolationError
from domain.room import AccessType, Room, RoomStatus

TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - no 0/O or 1/I to misread
MAX_TOKENS = 1000
MAX_INVITEES = 500


def new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(6))


class Access:
    """Tokens, registrations and invitations of a room."""

    def __init__(self, runner: CommandRunner, room_url: Callable[[Room], str]) -> None:
        self.runner = runner
        self.room_url = room_url

    def generate_tokens(
        self, account_id: UUID, room_id: UUID, how_many: int, idem: Idempotency | None = None
    ) -> Result:
        if not 1 <= how_many <= MAX_TOKENS:
            raise InvalidRequestError(f"how_many must be between 1 and {MAX_TOKENS}")

        def command(unit: UnitOfWork) -> Result:
            room = owned_room(unit, account_id, room_id)
            if room.settings.access_type != AccessType.TOKEN:
                raise RuleViolationError("tokens are for rooms with token access")
            tokens = [self._fresh_token(unit, room).token for _ in range(how_many)]
            return Result(Outcome.CREATED, {"tokens": tokens})

        return self.runner.run(command, idem)

    @staticmethod
    def _fresh_token(unit: UnitOfWork, room: Room) -> AccessToken:
        while True:
            token = new_token()
            if not unit.exists(AccessToken.id_for(room.id, token)):
                return unit.add(AccessToken(room.id, token, unit.now))

    def deactivate_token(self, account_id: UUID, room_id: UUID, token: str) -> Result:
        def command(unit: UnitOfWork) -> Result:
            owned_room(unit, account_id, room_id)
            found = unit.get(AccessToken, AccessToken.id_for(room_id, token), "token")
            found.deactivate(unit.now)
            return Result(Outcome.DONE, {"token": found.token, "active": False})

        return self.runner.run(command)

    def register(
        self,
        room_id: UUID,
        first_name: str,
        last_name: str,
        email: str,
        answers: dict[str, Any],
        lang: str = "en",
        confirm: bool = True,
        idem: Idempotency | None = None,
    ) -> Result:
        """A public registration; the registrant gets a confirmation with their room link."""

        def command(unit: UnitOfWork) -> Result:
            room = unit.find(Room, room_id)
            if room is None or room.status != RoomStatus.ACTIVE:
                raise NotFoundError("room not found or not active")
            settings = room.settings
            if not settings.registration_enabled:
                raise RuleViolationError("registration is not enabled for this event")
            for field in settings.registration_fields:
                value = answers.get(field.label)
                if field.required and value in (None, "", False):
                    raise InvalidRequestError(f"the field {field.label!r} is required")
                if value not in (None, "") and field.options and str(value) not in field.options:
                    raise InvalidRequestError(f"{value!r} is not an option of {field.label!r}")
            unknown = set(answers) - {f.label for f in settings.registration_fields}
            if unknown:
                raise InvalidRequestError(
                    f"unknown registration field(s): {', '.join(sorted(unknown))}"
                )
            if unit.exists(Registration.id_for(room.id, email)):
                raise RuleViolationError(f"{email} is already registered for this event")
            code = secrets.token_urlsafe(12)
            registration = unit.add(
                Registration(room.id, email.lower(), first_name, last_name, answers, code, unit.now)
            )
            link = f"{self.room_url(room)}?r={code}"
            if confirm:
                mail.registration_confirmation(unit, room, email, link, lang)
            return Result(
                Outcome.CREATED,
                {"registration_id": str(registration.id), "url": link, "r": code, "status": "OK"},
            )

        return self.runner.run(command, idem)

    def invite(
        self,
        account_id: UUID,
        room_id: UUID,
        emails: list[str],
        group_ids: list[UUID],
        role: str,
        lang: str,
        template: str,
        idem: Idempotency | None = None,
    ) -> Result:
        """Invite addresses and address-book groups; re-inviting someone re-sends theirs."""
        if role not in (Role.LISTENER, Role.PRESENTER):
            raise InvalidRequestError("role must be listener or presenter")
        if template not in ("basic", "advanced"):
            raise InvalidRequestError("template must be basic or advanced")
        if lang not in mail.LANGUAGES:
            raise InvalidRequestError(f"lang must be one of {', '.join(sorted(mail.LANGUAGES))}")

        def command(unit: UnitOfWork) -> Result:
            room = owned_room(unit, account_id, room_id)
            invitees = [e.strip().lower() for e in emails]
            for group_id in group_ids:
                group = unit.find(ContactGroup, group_id)
                if group is None or group.account_id != account_id:
                    raise NotFoundError("contact group not found")
                invitees.extend(group.emails)
            invitees = list(dict.fromkeys(invitees))
            self.invite_into(unit, room, invitees, role, lang, template)
            return Result(Outcome.DONE, {"status": "OK", "invited": invitees})

        return self.runner.run(command, idem)

    def invite_into(
        self, unit: UnitOfWork, room: Room, invitees: list[str], role: str, lang: str, template: str
    ) -> None:
        """Invite ``invitees`` (normalised, distinct) in ``unit``: the panel's invitations and
        the live room's Attendee List share it, so both send the same mail."""
        if not invitees:
            raise InvalidRequestError("name at least one attendee or group to invite")
        if len(invitees) > MAX_INVITEES:
            raise InvalidRequestError(f"at most {MAX_INVITEES} invitees at once")
        for email in invitees:
            invitation = unit.find(Invitation, Invitation.id_for(room.id, email, role))
            if invitation is None:
                invitation = unit.add(Invitation(room.id, email, role, lang, template, unit.now))
            else:
                invitation.resend(unit.now)
            self._send(unit, room, invitation)

    def resend(
        self,
        account_id: UUID,
        room_id: UUID,
        email: str | None,
        idem: Idempotency | None = None,
    ) -> Result:
        """Send the invitations again: to one invitee, or to everyone invited."""

        def command(unit: UnitOfWork) -> Result:
            room = owned_room(unit, account_id, room_id)
            sent = []
            for invitation_id in self._invitation_ids(unit, room, email):
                invitation = unit.get(Invitation, invitation_id, "invitation")
                invitation.resend(unit.now)
                self._send(unit, room, invitation)
                sent.append(invitation.email)
            if not sent:
                raise NotFoundError("no invitation to re-send")
            return Result(Outcome.DONE, {"status": "OK", "resent": sent})

        return self.runner.run(command, idem)

    @staticmethod
    def _invitation_ids(unit: UnitOfWork, room: Room, email: str | None) -> list[UUID]:
        emails = [email] if email else list(room.invitees)
        return [
            Invitation.id_for(room.id, e, role)
            for e in emails
            for role in (Role.LISTENER, Role.PRESENTER)
            if unit.exists(Invitation.id_for(room.id, e, role))
        ]

    def _send(self, unit: UnitOfWork, room: Room, invitation: Invitation) -> None:
        """Queue one invitation email: a token event's carries the invitee's own token (the
        same one on every re-send), a registration event's links to the form."""
        settings, email = room.settings, invitation.email
        link = self.room_url(room)
        if settings.access_type == AccessType.TOKEN and invitation.token is None:
            access = self._fresh_token(unit, room)
            access.send_to(email, unit.now)
            invitation.give_token(access.token, unit.now)
        elif settings.registration_enabled and invitation.role == Role.LISTENER:
            link = f"{link}/register"
        room.note_invitee(email, unit.now)
        mail.invitation(
            unit,
            room,
            email,
            link,
            str(invitation.role),
            invitation.lang,
            invitation.token,
            invitation.template,
        )
