"""A live session's chat: send (to all or privately to presenters), delete, switch on or off.

Sending creates the message's own stream and only reads the session's ``Chat`` switch, so
participants writing at once never collide. Who writes is the ``Actor`` the caller resolves to
in the command's own unit of work (decision 0014); the session must be running.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from commands.live.actors import Actor, Actors, Caller, live_session, require_presenter
from commands.live.readers import reading_actor
from commands.unit_of_work import CommandRunner, Idempotency, Outcome, Result, UnitOfWork
from domain.errors import NotFoundError
from domain.live.chat import Chat, ChatMessage, check_may_write


def message_body(message: ChatMessage) -> dict[str, Any]:
    """A message as its sender and the presenters see it."""
    return {
        "message_id": str(message.id),
        "room_id": str(message.room_id),
        "session": message.session,
        "nickname": message.nickname,
        "role": message.role,
        "to": message.audience,
        "text": message.text,
        "sent_at": message.sent_at.isoformat(),
        "deleted": message.deleted_at is not None,
    }


def chat_state(actor: Actor, chat: Chat | None) -> dict[str, Any]:
    return {
        "room_id": str(actor.room_id),
        "session": actor.session,
        "enabled": chat is None or chat.enabled,
    }


class Chats:
    """Commands of a session's chat."""

    def __init__(self, runner: CommandRunner, actors: Actors) -> None:
        self.runner = runner
        self.actors = actors

    def send(
        self,
        caller: Caller,
        room_id: UUID,
        text: str,
        to: str = "all",
        idempotency: Idempotency | None = None,
    ) -> Result:
        """Send ``text`` to everyone, or privately to the presenters (``to="presenters"``);
        participants only while chat is on."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            live_session(unit, actor)
            check_may_write(unit.find(Chat, Chat.id_for(room_id, actor.session)), actor.presents)
            sender = (actor.email, actor.nickname, str(actor.role))
            message = ChatMessage.send(room_id, actor.session, sender, to, text, unit.now)
            return Result(Outcome.CREATED, message_body(unit.add(message)))

        return self.runner.run(command, idempotency)

    def delete(self, caller: Caller, room_id: UUID, message_id: UUID) -> Result:
        """A presenter deletes a message of the room for everyone (again: nothing changes)."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "delete chat messages")
            message = unit.find(ChatMessage, message_id)
            if message is None or message.room_id != room_id:
                raise NotFoundError("no such chat message in this room")
            message.delete(f"{actor.role}:{actor.email}", unit.now)
            return Result(Outcome.DONE, message_body(message))

        return self.runner.run(command)

    def switch(self, caller: Caller, room_id: UUID, enabled: bool) -> Result:
        """A presenter turns chat on or off for the participants of the running session."""

        def command(unit: UnitOfWork) -> Result:
            actor = self.actors.resolve(unit, room_id, caller)
            require_presenter(actor, "turn the chat on or off")
            live_session(unit, actor)
            by = f"{actor.role}:{actor.email}"
            chat = unit.find(Chat, Chat.id_for(room_id, actor.session))
            if chat is None:
                if not enabled:  # on is the default: only turning it off opens the stream
                    chat = unit.add(Chat(room_id, actor.session, enabled, by, unit.now))
            else:
                chat.switch(enabled, by, unit.now)
            return Result(Outcome.DONE, chat_state(actor, chat))

        return self.runner.run(command)

    def reader(self, caller: Caller, room_id: UUID) -> Actor:
        """Who reads the room's chat (for the history): resolved, nothing written."""
        return reading_actor(self.runner, self.actors, caller, room_id)
