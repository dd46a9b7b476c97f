"""Chat events to chat_messages and chat_switches rows."""

from __future__ import annotations

from typing import Any

from domain.live.chat import Chat, ChatMessage
from projections.store import Cursor


def _topic(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


class LiveChatProjection:
    """One row per chat message, in the order sent; one row per session whose chat was switched."""

    name: str = "live_chat"
    topics: tuple[str, ...] = tuple(
        _topic(cls) for cls in (ChatMessage.Sent, ChatMessage.Deleted, Chat.Opened, Chat.Switched)
    )
    tables: tuple[str, ...] = ("chat_messages", "chat_switches")

    def apply(self, cursor: Cursor, event: Any, position: int) -> None:
        if isinstance(event, ChatMessage.Sent):
            cursor.execute(
                "INSERT INTO chat_messages (message_id, room_id, session, position, email, "
                "nickname, role, audience, text, sent_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (
                    str(event.originator_id),
                    str(event.room_id),
                    event.session,
                    position,
                    event.email,
                    event.nickname,
                    event.role,
                    event.audience,
                    event.text,
                    event.at.isoformat(),
                ),
            )
        elif isinstance(event, ChatMessage.Deleted):
            cursor.execute(
                "UPDATE chat_messages SET deleted_by = %s, deleted_at = %s WHERE message_id = %s",
                (event.by, event.at.isoformat(), str(event.originator_id)),
            )
        elif isinstance(event, Chat.Opened):
            cursor.execute(
                "INSERT INTO chat_switches (room_id, session, chat_id, enabled, changed_by, "
                "changed_at) VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    str(event.room_id),
                    event.session,
                    str(event.originator_id),
                    event.enabled,
                    event.by,
                    event.at.isoformat(),
                ),
            )
        elif isinstance(event, Chat.Switched):
            cursor.execute(
                "UPDATE chat_switches SET enabled = %s, changed_by = %s, changed_at = %s "
                "WHERE chat_id = %s",
                (event.enabled, event.by, event.at.isoformat(), str(event.originator_id)),
            )
