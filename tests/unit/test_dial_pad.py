"""The dial-pad menus, exactly as the help centre lists them, against a fake room (section 5)."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID, uuid4

import pytest

from commands.errors import PermissionDeniedError
from commands.live.actors import Caller
from commands.live.dial_pad import DialPad, OnThePhone
from domain.errors import RuleViolationError
from domain.live.calls import LISTENER, PRESENTER, Choice, Menu, UnknownDigitError, choose

ROOM = uuid4()


class FakeRoom:
    """The room services as the dial pad sees them: what they were asked, in order."""

    def __init__(self, people: int = 3, refuse: Exception | None = None) -> None:
        self.asked: list[tuple[object, ...]] = []
        self.people, self.is_locked, self.refuse = people, False, refuse
        self.mode = "listen_only"
        self.muted_state: dict[str, bool] = {}
        self.knows_mutes = False

    def _do(self, *what: object) -> None:
        if self.refuse is not None:
            raise self.refuse
        self.asked.append(what)

    def start(self, caller: Caller, room_id: UUID) -> object:
        self._do("start", caller, room_id)
        return None

    def end(self, caller: Caller, room_id: UUID) -> object:
        self._do("end", caller, room_id)
        return None

    def set_lock(self, caller: Caller, room_id: UUID, locked: bool) -> object:
        self._do("set_lock", caller, room_id, locked)
        self.is_locked = locked
        return None

    def set_mode(self, caller: Caller, room_id: UUID, mode: str) -> object:
        self._do("set_mode", caller, room_id, mode)
        self.mode = mode
        if mode == "listen_only":  # the audio service's rule, as the fake plays it
            self.muted_state = dict.fromkeys(self.muted_state, True)
        return None

    def mute(self, caller: Caller, room_id: UUID, email: str, muted: bool) -> object:
        self._do("mute", caller, room_id, email, muted)
        self.muted_state[email] = muted
        return None

    def ask(self, caller: Caller, room_id: UUID, text: str) -> object:
        self._do("ask", caller, room_id, text)
        return None

    def participants(self, room_id: UUID, session: int) -> int:
        return self.people

    def locked(self, room_id: UUID, session: int) -> bool:
        return self.is_locked

    def muted(self, caller: Caller, room_id: UUID) -> bool | None:
        return self.muted_state.get("phone-1") if self.knows_mutes else None


def phone(role: str = PRESENTER, menu: Menu = Menu.MAIN, **state: bool) -> OnThePhone:
    return OnThePhone(
        caller="credential-of-the-call",
        room_id=ROOM,
        session=1,
        role=role,
        email="phone-1",
        nickname="Phone presenter …1234",
        menu=menu,
        muted=state.get("muted", False),
        music=state.get("music", True),
    )


def pad(room: FakeRoom) -> DialPad:
    return DialPad(room, room)


def test_the_presenter_menu_has_exactly_the_help_centres_keys() -> None:
    """Presenter: # 0 1 2 4 7 8 9; audio submenu 1 2 4; participant: 0 1 4 5; no others."""
    presenter = {d for d in "0123456789*#" if _known(PRESENTER, Menu.MAIN, d)}
    audio = {d for d in "0123456789*#" if _known(PRESENTER, Menu.AUDIO, d)}
    listener = {d for d in "0123456789*#" if _known(LISTENER, Menu.MAIN, d)}
    assert presenter == set("#0124789")
    assert audio == set("124")
    assert listener == set("0145")


def _known(role: str, menu: Menu, digit: str) -> bool:
    try:
        choose(role, menu, digit)
    except UnknownDigitError:
        return False
    return True


def test_pound_says_how_many_take_part() -> None:
    """# counts the session's participants, in words the caller hears."""
    pressed = pad(FakeRoom(people=7)).press(phone(), "#")
    assert pressed.choice == Choice.COUNT
    assert pressed.say == "7 participants are in the event."
    assert pad(FakeRoom(people=1)).press(phone(), "#").say == "1 participant is in the event."


def test_one_mutes_then_unmutes_through_the_audio_service() -> None:
    """1 toggles: the audio service is asked to mute this caller, then to unmute."""
    room = FakeRoom()
    first = pad(room).press(phone(), "1")
    second = pad(room).press(phone(muted=first.muted), "1")
    assert (first.muted, second.muted) == (True, False)
    assert room.asked == [
        ("mute", "credential-of-the-call", ROOM, "phone-1", True),
        ("mute", "credential-of-the-call", ROOM, "phone-1", False),
    ]


def test_the_audio_submenu_sets_each_mode_and_listen_only_mutes_participants() -> None:
    """2 opens the submenu (nothing asked yet); 1, 2, 4 set listen only, discussion, presenters
    only and return to the main menu; listen only leaves every participant muted."""
    room = FakeRoom()
    room.muted_state = {"ann@example.com": False, "phone-2": False}
    opened = pad(room).press(phone(), "2")
    assert (opened.menu, room.asked) == (Menu.AUDIO, [])
    assert "1 for listen only" in opened.say
    modes = []
    for key in "241":
        pressed = pad(room).press(phone(menu=Menu.AUDIO), key)
        assert pressed.menu == Menu.MAIN
        modes.append(room.mode)
    assert modes == ["discussion", "presenters_only", "listen_only"]
    assert all(room.muted_state.values())
    assert "all participants are muted" in pressed.say


def test_one_unmutes_a_caller_the_audio_service_muted_meanwhile() -> None:
    """Muted by a presenter's listen only, a caller whose own last key unmuted them is asked
    to be unmuted by 1, because the audio service's state comes first."""
    room = FakeRoom()
    room.knows_mutes = True
    room.muted_state = {"phone-1": False}
    room.set_mode("presenter", ROOM, "listen_only")
    pressed = pad(room).press(phone(muted=False), "1")
    assert pressed.muted is False
    assert room.asked[-1] == ("mute", "credential-of-the-call", ROOM, "phone-1", False)


def test_four_turns_hold_music_off_and_on_without_asking_the_room() -> None:
    """4 is the caller's own hold music: no room service is involved."""
    room = FakeRoom()
    off = pad(room).press(phone(), "4")
    on = pad(room).press(phone(music=off.music), "4")
    assert (off.music, on.music, room.asked) == (False, True, [])


def test_seven_starts_eight_locks_and_unlocks_nine_ends_and_hangs_up() -> None:
    """7 starts the event, 8 locks then unlocks (explicit values), 9 ends it and hangs up."""
    room = FakeRoom()
    pad(room).press(phone(), "7")
    assert pad(room).press(phone(), "8").say == "The room is locked."
    assert pad(room).press(phone(), "8").say == "The room is unlocked."
    ended = pad(room).press(phone(), "9")
    assert ended.hang_up
    assert [a[0] for a in room.asked] == ["start", "set_lock", "set_lock", "end"]
    assert [a[3] for a in room.asked if a[0] == "set_lock"] == [True, False]


def test_a_participant_asks_a_question_with_five() -> None:
    """5 files a question as the phone participant."""
    room = FakeRoom()
    pressed = pad(room).press(phone(LISTENER), "5")
    assert pressed.choice == Choice.ASK
    [(what, caller, room_id, text)] = room.asked
    assert (what, caller, room_id) == ("ask", "credential-of-the-call", ROOM)
    assert "by phone" in str(text)


@pytest.mark.parametrize(
    ("role", "menu", "digit"),
    [
        (LISTENER, Menu.MAIN, "7"),  # a presenter's key
        (LISTENER, Menu.MAIN, "9"),
        (LISTENER, Menu.MAIN, "#"),
        (PRESENTER, Menu.MAIN, "3"),
        (PRESENTER, Menu.MAIN, "*"),
        (PRESENTER, Menu.AUDIO, "3"),
        (PRESENTER, Menu.MAIN, "x"),  # not a key at all
        (PRESENTER, Menu.MAIN, "12"),
    ],
)
def test_an_unknown_digit_is_refused_saying_which_keys_exist_and_asks_nothing(
    role: str, menu: Menu, digit: str
) -> None:
    """A key the caller's menu lacks raises a clear error, and no room service is asked."""
    room = FakeRoom()
    with pytest.raises(UnknownDigitError) as refused:
        pad(room).press(phone(role, menu), digit)
    assert room.asked == []
    assert "key" in str(refused.value)


def test_a_refused_action_raises_the_services_reason_and_the_state_stays() -> None:
    """A room service's refusal (a mode change not allowed, an event not started) reaches the
    caller as that service's error; the pad returns no new state."""
    room = FakeRoom(refuse=PermissionDeniedError("only a host or presenter may change the mode"))
    with pytest.raises(PermissionDeniedError, match="change the mode"):
        pad(room).press(phone(menu=Menu.AUDIO), "2")
    room = FakeRoom(refuse=RuleViolationError("the event has not started yet"))
    with pytest.raises(RuleViolationError):
        pad(room).press(phone(), "1")


def test_help_repeats_the_menu_the_caller_is_in() -> None:
    """0 reads the caller's own menu, and leaves them in it."""
    listener = pad(FakeRoom()).press(phone(LISTENER), "0")
    assert "5 to ask a question" in listener.say
    presenter = pad(FakeRoom()).press(replace(phone(), menu=Menu.MAIN), "0")
    assert "9 to end the event" in presenter.say
