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


class CallToActionOut(Answer):
    """A call to action: what it says, where its button leads, and until when it shows."""

    cta_id: str
    session: int
    description: str
    button_text: str
    url: str
    minutes: int
    displayed_at: str
    hides_at: str


class ShownCallToAction(Answer):
    """The call to action the session shows now (null: none)."""

    room_id: str
    session: int
    shown: CallToActionOut | None


class CallToActionStats(CallToActionOut):
    """A call to action with how it ended and its clicks: ``attendees`` counts each person
    once, ``clicks`` every click."""

    hidden_how: str | None
    hidden_at: str | None
    attendees: int
    clicks: int


class CallsToActionList(Answer):
    room_id: str
    session: int
    calls_to_action: list[CallToActionStats]


class Clicked(Answer):
    """A click counted; ``url`` is where the button leads."""

    cta_id: str
    url: str
    your_clicks: int
