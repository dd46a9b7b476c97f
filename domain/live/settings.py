"""Room settings changed from inside the room during an event: interface language, toll-free.

``LiveSettings`` (id from room + session) keeps what presenters set in a session; room clients
hear of it through its events (decision 0014). The language chosen carries over to a permanent
room's next session through ``RoomLanguage`` (id from room), the room's memory of it. Chat
on/off is the chat module's.

Toll-free numbers work only through the phone gateway, so turning toll-free on while the gateway
is off is refused until the caller says to turn the gateway on too (decision 0021). The room's own
settings (``RoomSettings.toll_free`` and ``phone_gateway``) change with it, since dial-in reads
them.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.copying import CheapCopy
from domain.errors import InvalidRequestError, RuleViolationError
from domain.ids import derived_id

DEFAULT_LANGUAGE = "en"
# The room interface's languages (ISO 639-1). An assumption: the languages ClickMeeting's room
# is offered in; adding one is a change here only.
INTERFACE_LANGUAGES = frozenset(
    {"en", "pl", "de", "es", "fr", "it", "pt", "ru", "nl", "tr", "ja", "zh", "uk", "cs", "sk"}
)
GATEWAY_NEEDED = (
    "toll-free numbers work only through the phone gateway, which is off in this room: send "
    '"phone_gateway": true with "toll_free": true to turn both on'
)


class PhoneGatewayNeededError(RuleViolationError):
    """Toll-free on with the phone gateway off, and the caller did not ask to turn it on (409)."""


def check_language(language: str) -> str:
    """The language code, lower-case; refused when the room interface has no such language."""
    code = language.strip().lower()
    if code not in INTERFACE_LANGUAGES:
        known = ", ".join(sorted(INTERFACE_LANGUAGES))
        raise InvalidRequestError(f"language {language!r} is not one of the room's: {known}")
    return code


def toll_free_change(
    toll_free: bool, gateway_on: bool, turn_gateway_on: bool | None
) -> tuple[bool, bool]:
    """The room's (toll_free, phone_gateway) after asking for ``toll_free``.

    Turning toll-free on needs the gateway: with it off, the caller must say
    ``turn_gateway_on`` (True), else ``PhoneGatewayNeededError`` says so and nothing changes.
    Turning toll-free off leaves the gateway as it is, unless the caller turns it off too.
    """
    if toll_free and not gateway_on and not turn_gateway_on:
        raise PhoneGatewayNeededError(GATEWAY_NEEDED)
    if not toll_free and turn_gateway_on is False:
        return False, False
    if turn_gateway_on is False:
        raise InvalidRequestError("toll-free numbers need the phone gateway: keep it on")
    return toll_free, gateway_on or bool(turn_gateway_on)


class LiveSettings(CheapCopy, Aggregate):
    """What presenters set in one session of a room; its events are what room clients hear."""

    class Opened(Aggregate.Created):
        room_id: UUID
        session: int
        language: str  # what the session started with: the room's last choice
        at: datetime

    class LanguageChanged(Aggregate.Event):
        language: str
        email: str  # who changed it; presenters only (decision 0014)
        at: datetime

    class TollFreeChanged(Aggregate.Event):
        toll_free: bool
        phone_gateway: bool
        email: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int, language: str, at: datetime) -> UUID:
        return LiveSettings.id_for(room_id, session)

    @staticmethod
    def id_for(room_id: UUID, session: int) -> UUID:
        return derived_id("live-settings", f"{room_id}:{session}")

    @event(Opened)
    def __init__(self, room_id: UUID, session: int, language: str, at: datetime) -> None:
        self.room_id, self.session = room_id, session
        self.language = language

    def set_language(self, language: str, by: str, at: datetime) -> bool:
        """Change the interface language; False when it already is that language."""
        code = check_language(language)
        if code == self.language:
            return False
        self._language_changed(code, by, at)
        return True

    @event(LanguageChanged)
    def _language_changed(self, language: str, email: str, at: datetime) -> None:
        self.language = language

    def note_toll_free(self, toll_free: bool, phone_gateway: bool, by: str, at: datetime) -> None:
        """Tell the room that toll-free (and the gateway) changed, so its clients show it."""
        self._toll_free_changed(toll_free, phone_gateway, by, at)

    @event(TollFreeChanged)
    def _toll_free_changed(
        self, toll_free: bool, phone_gateway: bool, email: str, at: datetime
    ) -> None:
        pass


class RoomLanguage(CheapCopy, Aggregate):
    """The interface language a room's next session starts in: its presenters' last choice.

    Its created event names no session on purpose: it is the room's memory, not a room event
    (the session's ``LiveSettings`` carries the change to room clients).
    """

    class Opened(Aggregate.Created):
        room_id: UUID
        at: datetime

    class Chosen(Aggregate.Event):
        language: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, at: datetime) -> UUID:
        return RoomLanguage.id_for(room_id)

    @staticmethod
    def id_for(room_id: UUID) -> UUID:
        return derived_id("room-language", str(room_id))

    @event(Opened)
    def __init__(self, room_id: UUID, at: datetime) -> None:
        self.room_id = room_id
        self.language = DEFAULT_LANGUAGE

    def choose(self, language: str, at: datetime) -> None:
        if language != self.language:
            self._chosen(check_language(language), at)

    @event(Chosen)
    def _chosen(self, language: str, at: datetime) -> None:
        self.language = language


def language_of(session: LiveSettings | None, room: RoomLanguage | None) -> str:
    """The interface language now: the session's, else the room's last choice, else English."""
    if session is not None:
        return session.language
    return room.language if room is not None else DEFAULT_LANGUAGE
