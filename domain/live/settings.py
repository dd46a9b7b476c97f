"""Room settings changed from inside the room during an event: interface language, toll-free.

``LiveSettings`` (id from room) keeps what presenters set there. It is one stream per room, not
per session, because what they choose carries over to a permanent room's next session; every
event names the session it was made in, so the room feed routes it (decision 0014). Chat on/off
is the chat module's.

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
    """What presenters set in a room during its events."""

    class Opened(Aggregate.Created):
        room_id: UUID
        session: int
        at: datetime

    class LanguageChanged(Aggregate.Event):
        session: int
        language: str
        email: str  # who changed it; presenters only (decision 0014)
        at: datetime

    class TollFreeChanged(Aggregate.Event):
        session: int
        toll_free: bool
        phone_gateway: bool
        email: str
        at: datetime

    @staticmethod
    def create_id(room_id: UUID, session: int, at: datetime) -> UUID:
        return LiveSettings.id_for(room_id)

    @staticmethod
    def id_for(room_id: UUID) -> UUID:
        return derived_id("live-settings", str(room_id))

    @event(Opened)
    def __init__(self, room_id: UUID, session: int, at: datetime) -> None:
        self.room_id = room_id
        self.language = DEFAULT_LANGUAGE

    def set_language(self, session: int, language: str, by: str, at: datetime) -> bool:
        """Change the interface language; False when it already is that language."""
        code = check_language(language)
        if code == self.language:
            return False
        self._language_changed(session, code, by, at)
        return True

    @event(LanguageChanged)
    def _language_changed(self, session: int, language: str, email: str, at: datetime) -> None:
        self.language = language

    def note_toll_free(
        self, session: int, toll_free: bool, phone_gateway: bool, by: str, at: datetime
    ) -> None:
        """Tell the room that toll-free (and the gateway) changed, so its clients show it."""
        self._toll_free_changed(session, toll_free, phone_gateway, by, at)

    @event(TollFreeChanged)
    def _toll_free_changed(
        self, session: int, toll_free: bool, phone_gateway: bool, email: str, at: datetime
    ) -> None:
        pass


def language_of(settings: LiveSettings | None) -> str:
    """The room's interface language now: the default until a presenter changed it."""
    return settings.language if settings is not None else DEFAULT_LANGUAGE
