"""The engagement rules in the domain: texts kept as sent, the chat switch, closing questions,
hands in and out of the queue, a call to action's limits and its clicks."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.errors import InvalidRequestError, NotFoundError, RuleViolationError
from domain.live.chat import Chat, ChatMessage, check_may_write
from domain.live.cta import CallToAction, CtaBoard, CtaClick, check_clickable
from domain.live.hands import Hand
from domain.live.questions import Question
from tests.unit.factories import START

ROOM = uuid4()
SENDER = ("ann@example.com", "Ann", "listener")
OFFER = ("Try it free", "Start", "https://example.com/")


def test_a_message_is_recorded_stripped_and_refused_past_2000_characters() -> None:
    """What the event holds is the stripped text; 2,001 characters or none are refused."""
    message = ChatMessage.send(ROOM, 1, SENDER, "all", "  hi  ", START)
    [sent] = message.collect_events()
    assert isinstance(sent, ChatMessage.Sent)
    assert sent.text == "hi"
    ChatMessage.send(ROOM, 1, SENDER, "all", "x" * 2000, START)
    for text in ("x" * 2001, " \n "):
        with pytest.raises(InvalidRequestError):
            ChatMessage.send(ROOM, 1, SENDER, "all", text, START)
    with pytest.raises(InvalidRequestError):
        ChatMessage.send(ROOM, 1, SENDER, "everyone", "hi", START)


def test_chat_off_stops_participants_not_presenters() -> None:
    """No switch means on; switched off, only presenters write; switching twice is one event."""
    check_may_write(None, presents=False)
    chat = Chat(ROOM, 1, False, "host:h@example.com", START)
    with pytest.raises(RuleViolationError):
        check_may_write(chat, presents=False)
    check_may_write(chat, presents=True)
    assert chat.switch(False, "host", START) is False
    assert chat.switch(True, "host", START) is True
    check_may_write(chat, presents=False)


def test_a_question_closes_once() -> None:
    """Answered, the same answer again is a no-op and dismissing it is refused."""
    question = Question.ask(ROOM, 1, "ann@example.com", "Ann", " When? ", START)
    assert question.text == "When?"
    assert question.answer_with("Now", "presenter", START) is True
    assert question.answer_with(" Now ", "presenter", START) is False
    with pytest.raises(RuleViolationError):
        question.dismiss("presenter", START)
    other = Question.ask(ROOM, 1, "bob@example.com", "Bob", "Why?", START)
    assert other.dismiss("presenter", START) is True
    assert other.dismiss("presenter", START) is False


def test_a_hand_goes_up_and_down_once_each() -> None:
    """Raising a raised hand or lowering a lowered one changes nothing; ids are per person."""
    hand = Hand(ROOM, 1, "ann@example.com", "Ann", START)
    assert (
        hand.id
        == Hand.id_for(ROOM, 1, "ann@example.com")
        != Hand.id_for(ROOM, 2, "ann@example.com")
    )
    assert hand.raise_again(START) is False
    assert hand.lower("self", START) is True
    assert hand.lower("self", START) is False
    assert hand.raise_again(START) is True


@pytest.mark.parametrize(
    ("content", "minutes"),
    [
        (("x" * 55, "Go", "https://example.com/"), 3),
        (("   ", "Go", "https://example.com/"), 3),
        (("Offer", "", "https://example.com/"), 3),
        (("Offer", "Go", "javascript:alert(1)"), 3),
        (("Offer", "Go", "https://"), 3),
        (OFFER, 0),
        (OFFER, 8),
    ],
)
def test_a_call_to_action_out_of_its_limits_is_refused(
    content: tuple[str, str, str], minutes: int
) -> None:
    """Over 54 characters, empty texts, a non-http URL, minutes outside 1-7: refused."""
    with pytest.raises(InvalidRequestError):
        CallToAction.display(ROOM, 1, content, minutes, "host", START)


def test_a_call_to_action_hides_once_and_clicks_count_per_person() -> None:
    """54 characters with spaces fit; it hides at its minutes' end, once; a board shows one;
    a person's clicks are one stream; a hidden one or another session's is not clickable."""
    cta = CallToAction.display(ROOM, 1, ("a " * 27, "Go", "http://example.com"), 7, "h", START)
    assert cta.hides_at == START + timedelta(minutes=7)
    board = CtaBoard(ROOM, 1)
    board.show(cta.id)
    assert check_clickable(cta, ROOM, 1) is cta
    with pytest.raises(NotFoundError):
        check_clickable(cta, ROOM, 2)
    click = CtaClick(ROOM, 1, cta.id, "ann@example.com", START)
    click.click_again(START)
    assert (click.id, click.clicks) == (CtaClick.id_for(cta.id, "ann@example.com"), 2)
    assert cta.hide("time_up", "policy", START) is True
    assert cta.hide("presenter", "h", START) is False
    board.clear(uuid4())
    assert board.shown == cta.id
    board.clear(cta.id)
    assert board.shown is None
    with pytest.raises(RuleViolationError):
        check_clickable(cta, ROOM, 1)
