"""Recording what became of an outgoing message (the mailer's commands)."""

from __future__ import annotations

from uuid import UUID

from commands.unit_of_work import CommandRunner, Outcome, Result, UnitOfWork
from domain.mail import OutgoingMail


class Outbox:
    """Delivery outcomes, so the outbox survives restarts and retries back off."""

    def __init__(self, runner: CommandRunner) -> None:
        self.runner = runner

    def claim(self, mail_id: UUID, by: str) -> Result:
        """Claim the message for one delivery attempt; ``claimed`` is False if another attempt
        holds it or it needs none. Two claims racing on one version: the second is retried on
        the new state, sees the first, and answers False."""

        def command(unit: UnitOfWork) -> Result:
            mail = unit.get(OutgoingMail, mail_id, "message")
            claimed = mail.claim(by, unit.now)
            return Result(Outcome.DONE, {"mail_id": str(mail_id), "claimed": claimed})

        return self.runner.run(command)

    def delivered(self, mail_id: UUID) -> Result:
        def command(unit: UnitOfWork) -> Result:
            mail = unit.get(OutgoingMail, mail_id, "message")
            mail.delivered_at(unit.now)
            return Result(Outcome.DONE, {"mail_id": str(mail_id), "delivered": True})

        return self.runner.run(command)

    def failed(self, mail_id: UUID, error: str) -> Result:
        def command(unit: UnitOfWork) -> Result:
            mail = unit.get(OutgoingMail, mail_id, "message")
            mail.attempt_failed(error, unit.now)
            return Result(
                Outcome.DONE,
                {"mail_id": str(mail_id), "retry_at": mail.next_attempt_at.isoformat()},
            )

        return self.runner.run(command)
