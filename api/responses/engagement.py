"""Answers of the live room's engagement: chat, questions, hands, calls to action (issue 8)."""

from __future__ import annotations

from api.responses.base import Answer


class ChatMessageOut(Answer):
    """One chat message; ``to`` is ``all`` or ``presenters`` (a private message)."""

    message_id: str
    session: int
    nickname: str
    role: str
    to: str
    text: str
    sent_at: str
    deleted: bool


class ChatHistory(Answer):
    """A session's chat in the order sent, and whether participants may write in it."""

    room_id: str
    session: int
    enabled: bool
    messages: list[ChatMessageOut]


class ChatState(Answer):
    """Whether participants may write in the session's chat (presenters always may)."""

    room_id: str
    session: int
    enabled: bool


class QuestionOut(Answer):
    """One Q&A question: ``open``, ``answered`` (with its ``answer``) or ``dismissed``."""

    question_id: str
    session: int
    nickname: str
    text: str
    asked_at: str
    status: str
    answer: str | None


class QuestionList(Answer):
    """A session's questions in the order asked."""

    room_id: str
    session: int
    questions: list[QuestionOut]


class HandOut(Answer):
    """A person's hand in the session, up or down."""

    room_id: str
    session: int
    hand_id: str
    nickname: str
    raised: bool


class QueuedHand(Answer):
    """A raised hand and its place in the queue (1: first)."""

    place: int
    hand_id: str
    nickname: str
    raised_at: str


class HandQueue(Answer):
    """The session's raised hands, first raised first."""

    room_id: str
    session: int
    hands: list[QueuedHand]
